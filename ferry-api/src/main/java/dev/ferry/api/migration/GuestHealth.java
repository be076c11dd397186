package dev.ferry.api.migration;

/**
 * What the guest's own self-checks last said on its serial console, read by the agent that runs it.
 * Ferry's test and demo guest prints heartbeats and memory/disk check lines; a guest that prints
 * none of them reports nulls and {@code ok=true} (nothing bad seen).
 *
 * @param heartbeat     the last heartbeat counter seen, null if none
 * @param memoryPasses  the last memory-worker pass seen, null if none
 * @param corruptLines  how many MEMORY-CORRUPT / DISK-CORRUPT / MEMORY-BAD lines the log holds
 * @param ok            no corruption line and no kernel panic seen
 * @param firstHeartbeatSeenAtMs host wall-clock time (epoch ms) at which the agent first saw a
 *                      heartbeat in this log; on a migration destination, when the guest came back
 * @param lastHeartbeatSeenAtMs  host wall-clock time at which the latest heartbeat appeared
 * @param heartbeatPeriodMs      the guest's heartbeat period, from its own clock
 */
public record GuestHealth(Long heartbeat, Long heartbeatUpMs, Long memoryPasses, Long diskSeq, long corruptLines,
                          boolean panicked, boolean ok, String lastLine, Long firstHeartbeatSeenAtMs,
                          Long lastHeartbeatSeenAtMs, Long heartbeatPeriodMs) {}

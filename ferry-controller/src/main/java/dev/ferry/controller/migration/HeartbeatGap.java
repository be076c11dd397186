package dev.ferry.controller.migration;

import dev.ferry.api.migration.GuestHealth;

/**
 * The guest's perceived downtime, from outside: the wall-clock time between the last heartbeat the
 * source agent saw and the first one the destination agent saw, less one heartbeat period. QEMU's
 * own downtime figure covers only the final stop-and-copy; this one also covers the time until the
 * guest's output flows again on the destination.
 */
final class HeartbeatGap {
    private HeartbeatGap() {}

    static Long of(GuestHealth source, GuestHealth destination) {
        if (source == null || destination == null) return null;
        if (source.lastHeartbeatSeenAtMs() == null || destination.firstHeartbeatSeenAtMs() == null
                || source.heartbeatPeriodMs() == null) {
            return null;
        }
        long gap = destination.firstHeartbeatSeenAtMs() - source.lastHeartbeatSeenAtMs() - source.heartbeatPeriodMs();
        return Math.max(0, gap);
    }
}

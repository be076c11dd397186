package dev.ferry.api.safety;

/**
 * One reading of how much work a VM does, taken by the agent of its host: the guest's own counters
 * (from its serial console, as {@code GuestHealth} reads them) and the CPU time QEMU's vCPU threads
 * have used ({@code utime + stime} of {@code /proc/PID/task/TID/stat} for each thread QMP's
 * {@code query-cpus-fast} names). Two readings give a work rate; the post-migration checks compare
 * the rate before the switchover (source) with the rate after it (destination).
 *
 * @param atMs         host wall-clock time of the reading (epoch ms)
 * @param vcpuTimeMs   CPU time of all vCPU threads since QEMU started, ms
 * @param vcpus        how many vCPU threads were read
 * @param qemuStatus   QEMU's run state ({@code running}, {@code paused}, ...)
 * @param heartbeat    the guest's last heartbeat counter, null if it prints none
 * @param memoryPasses the guest's memory-worker passes, null if none
 * @param diskSeq      the guest's last disk record, null if none
 */
public record PerfSample(String vm, long atMs, long vcpuTimeMs, int vcpus, String qemuStatus, Long heartbeat, Long memoryPasses,
                         Long diskSeq) {}

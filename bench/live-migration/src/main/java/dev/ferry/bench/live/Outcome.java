package dev.ferry.bench.live;

/**
 * What one migration of one cell measured, whichever policy ran it. Times and bytes of the transfer
 * are QEMU's own ({@code query-migrate} on the source) for every policy, so they compare; the wire
 * bytes are the migration link's veth counter, which also sees TLS and anything a policy sends
 * besides the stream (Ferry's link probe).
 *
 * @param link               tc rate of the migration link (1gbit, 100mbit)
 * @param converged          the guest finished on the destination
 * @param end                how it ended, in words (completed, aborted by the policy, stopped at the bench ceiling, failed)
 * @param totalMs            QEMU's total-time of the transfer (or time until it was stopped)
 * @param downtimeMs         QEMU's downtime; null when it did not complete
 * @param transferredBytes   QEMU's ram.transferred
 * @param wireBytes          bytes the source's end of the migration link sent meanwhile
 * @param jobMs              wall time of the whole job as the user waits for it (Ferry: planning, verification included)
 * @param nonZeroBytes       non-zero guest memory just before the migration (pmemsave of the QEMU-defaults run)
 * @param goodputBytesPerSec TCP payload rate of the link, measured in the same run
 * @param predictedTotalMs   Ferry only: the planner's prediction of total time (null otherwise)
 * @param predictedDowntimeMs Ferry only: the planner's predicted downtime
 * @param strategy           Ferry: the strategy it finished with; baselines: the policy's last step
 * @param maxThrottlePct     the highest vCPU throttle seen (auto-converge), null if none
 * @param guestCheck         what the guest's own checks said on the host it ended on
 */
public record Outcome(String link, String workload, String policy, boolean converged, String end, long totalMs, Long downtimeMs,
                      long transferredBytes, long wireBytes, long jobMs, long nonZeroBytes, long goodputBytesPerSec,
                      Long predictedTotalMs, Long predictedDowntimeMs, String strategy, Integer maxThrottlePct, String guestCheck) {

    /** The physical limit: non-zero memory over the link's goodput, in ms. */
    public double physicalLimitMs() {
        return goodputBytesPerSec <= 0 ? Double.NaN : nonZeroBytes * 1000.0 / goodputBytesPerSec;
    }

    /** Total time over the physical limit. */
    public double ofPhysicalLimit() { return totalMs / physicalLimitMs(); }

    /** |predicted - measured| / measured for the total time; NaN without a prediction or a completed run. */
    public double predictionError() {
        if (predictedTotalMs == null || !converged || totalMs <= 0) return Double.NaN;
        return Math.abs(predictedTotalMs - totalMs) / (double) totalMs;
    }

    public Outcome withNonZero(long bytes) {
        return new Outcome(link, workload, policy, converged, end, totalMs, downtimeMs, transferredBytes, wireBytes, jobMs, bytes,
                goodputBytesPerSec, predictedTotalMs, predictedDowntimeMs, strategy, maxThrottlePct, guestCheck);
    }
}

package dev.ferry.api.migration;

/**
 * Live progress of the transfer, derived from the source's {@link MigrationStats}: what a progress
 * bar and a dashboard need.
 *
 * @param dirtyRateBytesPerSec memory the guest dirties per second
 * @param bandwidthBytesPerSec the stream's measured throughput
 * @param etaMs                remaining / bandwidth, null while unknown
 */
public record MigrationProgress(
        String qemuStatus,
        long elapsedMs,
        long transferredBytes,
        long remainingBytes,
        long totalBytes,
        long dirtyRateBytesPerSec,
        long bandwidthBytesPerSec,
        long iterations,
        Long expectedDowntimeMs,
        Long etaMs) {

    public static MigrationProgress of(MigrationStats s) {
        long dirty = s.dirtyPagesRate() * Math.max(s.pageSize(), 1);
        long bw = (long) (s.mbps() * 1_000_000 / 8);
        Long eta = bw > 0 ? s.remainingBytes() * 1000 / bw : null;
        return new MigrationProgress(s.status(), s.totalTimeMs(), s.transferredBytes(), s.remainingBytes(), s.totalBytes(),
                dirty, bw, s.iterations(), s.expectedDowntimeMs(), eta);
    }

    /** Fraction done, 0..1, by memory: transferred / (transferred + remaining). */
    public double fraction() {
        long all = transferredBytes + remainingBytes;
        return all == 0 ? 0 : (double) transferredBytes / all;
    }
}

package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One reading of QEMU's {@code query-migrate} on the source, in Ferry's names and units.
 *
 * @param status             QEMU's status: none, setup, active, postcopy-active, postcopy-paused,
 *                           postcopy-recover, device, completed, failed, cancelling, cancelled, ...
 * @param dirtyPagesRate     pages per second dirtied by the guest in the last round
 * @param mbps               QEMU's measured throughput in megabits per second
 * @param iterations         dirty-sync count: how many memory passes have run
 * @param expectedDowntimeMs QEMU's estimate while active; null when unknown
 * @param downtimeMs         the measured pause, once completed
 * @param error              QEMU's error description when failed
 * @param throttlePercent    how much auto-converge slows the guest's vCPUs now, null when it does not
 * @param postcopyBytes      bytes sent during post-copy, null before post-copy
 * @param xbzrleEncodingRate XBZRLE's compression ratio so far, null without XBZRLE
 * @param xbzrle             XBZRLE's page counters, null without XBZRLE
 */
public record MigrationStats(
        String status,
        long totalTimeMs,
        Long expectedDowntimeMs,
        Long downtimeMs,
        long setupTimeMs,
        long transferredBytes,
        long remainingBytes,
        long totalBytes,
        long dirtyPagesRate,
        long pageSize,
        double mbps,
        long iterations,
        String error,
        Integer throttlePercent,
        Long postcopyBytes,
        Double xbzrleEncodingRate,
        Xbzrle xbzrle) {

    /**
     * QEMU's XBZRLE counters: pages it sent as deltas and their encoded bytes, and pages it had to
     * send whole because the delta would have been larger than the page ({@code overflow}).
     */
    public record Xbzrle(long pages, long bytes, long overflow, long cacheMiss) {
        /**
         * What a re-sent page costs relative to its size, over the pages XBZRLE tried (encoded or
         * overflowed; cache misses are first sightings, not re-sends); null before enough tried.
         */
        public Double resendRatio(long pageSize, long minPages) {
            long tried = pages + overflow;
            if (tried < minPages || pageSize <= 0) return null;
            return (bytes + (double) overflow * pageSize) / ((double) tried * pageSize);
        }
    }

    @JsonCreator
    public MigrationStats(@JsonProperty("status") String status, @JsonProperty("totalTimeMs") long totalTimeMs,
                          @JsonProperty("expectedDowntimeMs") Long expectedDowntimeMs, @JsonProperty("downtimeMs") Long downtimeMs,
                          @JsonProperty("setupTimeMs") long setupTimeMs, @JsonProperty("transferredBytes") long transferredBytes,
                          @JsonProperty("remainingBytes") long remainingBytes, @JsonProperty("totalBytes") long totalBytes,
                          @JsonProperty("dirtyPagesRate") long dirtyPagesRate, @JsonProperty("pageSize") long pageSize,
                          @JsonProperty("mbps") double mbps, @JsonProperty("iterations") long iterations,
                          @JsonProperty("error") String error, @JsonProperty("throttlePercent") Integer throttlePercent,
                          @JsonProperty("postcopyBytes") Long postcopyBytes,
                          @JsonProperty("xbzrleEncodingRate") Double xbzrleEncodingRate,
                          @JsonProperty("xbzrle") Xbzrle xbzrle) {
        this.status = status;
        this.totalTimeMs = totalTimeMs;
        this.expectedDowntimeMs = expectedDowntimeMs;
        this.downtimeMs = downtimeMs;
        this.setupTimeMs = setupTimeMs;
        this.transferredBytes = transferredBytes;
        this.remainingBytes = remainingBytes;
        this.totalBytes = totalBytes;
        this.dirtyPagesRate = dirtyPagesRate;
        this.pageSize = pageSize;
        this.mbps = mbps;
        this.iterations = iterations;
        this.error = error;
        this.throttlePercent = throttlePercent;
        this.postcopyBytes = postcopyBytes;
        this.xbzrleEncodingRate = xbzrleEncodingRate;
        this.xbzrle = xbzrle;
    }

    /** A reading without XBZRLE's page counters (the record before they existed). */
    public MigrationStats(String status, long totalTimeMs, Long expectedDowntimeMs, Long downtimeMs, long setupTimeMs,
                          long transferredBytes, long remainingBytes, long totalBytes, long dirtyPagesRate, long pageSize,
                          double mbps, long iterations, String error, Integer throttlePercent, Long postcopyBytes,
                          Double xbzrleEncodingRate) {
        this(status, totalTimeMs, expectedDowntimeMs, downtimeMs, setupTimeMs, transferredBytes, remainingBytes, totalBytes,
                dirtyPagesRate, pageSize, mbps, iterations, error, throttlePercent, postcopyBytes, xbzrleEncodingRate, null);
    }

    /** A reading without the throttle, post-copy and XBZRLE details (the record before they existed). */
    public MigrationStats(String status, long totalTimeMs, Long expectedDowntimeMs, Long downtimeMs, long setupTimeMs,
                          long transferredBytes, long remainingBytes, long totalBytes, long dirtyPagesRate, long pageSize,
                          double mbps, long iterations, String error) {
        this(status, totalTimeMs, expectedDowntimeMs, downtimeMs, setupTimeMs, transferredBytes, remainingBytes, totalBytes,
                dirtyPagesRate, pageSize, mbps, iterations, error, null, null, null, null);
    }

    @JsonIgnore
    public boolean isFinished() {
        return switch (status) {
            case "completed", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    /** Post-copy has started: the guest runs on the destination and the source can no longer take it back. */
    @JsonIgnore
    public boolean isPostcopy() { return status.startsWith("postcopy"); }
}

package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
/**
 * One reading of QEMU's {@code query-migrate} on the source, in Ferry's names and units.
 *
 * @param status             QEMU's status: none, setup, active, postcopy-active, device,
 *                           completed, failed, cancelling, cancelled, ...
 * @param dirtyPagesRate     pages per second dirtied by the guest in the last round
 * @param mbps               QEMU's measured throughput in megabits per second
 * @param iterations         dirty-sync count: how many memory passes have run
 * @param expectedDowntimeMs QEMU's estimate while active; null when unknown
 * @param downtimeMs         the measured pause, once completed
 * @param error              QEMU's error description when failed
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
        String error) {

    @JsonIgnore
    public boolean isFinished() {
        return switch (status) {
            case "completed", "failed", "cancelled" -> true;
            default -> false;
        };
    }
}

package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The final record of a successful migration.
 *
 * @param downtimeMs          the pause as QEMU measured it (live and warm; for post-copy QEMU's own figure)
 * @param heartbeatGapMs      the longest silence of the guest's heartbeat across the switchover as
 *                            the agents observed it (null when the guest prints no heartbeat)
 * @param heartbeatBefore     the last heartbeat seen on the source
 * @param heartbeatAfter      the heartbeat seen on the destination at verification
 * @param mode                live, warm or cold
 * @param strategy            live: the strategy the migration finished with (precopy, downtime-steps, xbzrle,
 *                            auto-converge, postcopy); warm: one-pass; cold: shared-storage or disk-copy
 * @param pausedMs            warm and cold: how long the guest was not running, as Ferry measured it (warm: from
 *                            pausing the source to resuming the destination; cold: from the shutdown request to
 *                            the destination's QEMU running)
 * @param predictedTotalMs    what the planner predicted for the total time, null when it made no prediction
 * @param predictedDowntimeMs what the planner predicted for the downtime, null when it made no prediction
 * @param diskBytes           cold: bytes of disk images copied (0 with shared storage)
 * @param escalations         live: how many times Ferry escalated during the transfer
 * @param checks              the post-migration checklist (check, ok, detail), null when none ran
 */
public record MigrationResult(
        long totalTimeMs,
        Long downtimeMs,
        Long heartbeatGapMs,
        long transferredBytes,
        long iterations,
        Long heartbeatBefore,
        Long heartbeatAfter,
        String mode,
        String strategy,
        Long pausedMs,
        Long predictedTotalMs,
        Long predictedDowntimeMs,
        Long diskBytes,
        Integer escalations,
        java.util.List<dev.ferry.api.safety.Check> checks) {

    @JsonCreator
    public MigrationResult(@JsonProperty("totalTimeMs") long totalTimeMs, @JsonProperty("downtimeMs") Long downtimeMs,
                           @JsonProperty("heartbeatGapMs") Long heartbeatGapMs,
                           @JsonProperty("transferredBytes") long transferredBytes, @JsonProperty("iterations") long iterations,
                           @JsonProperty("heartbeatBefore") Long heartbeatBefore, @JsonProperty("heartbeatAfter") Long heartbeatAfter,
                           @JsonProperty("mode") String mode, @JsonProperty("strategy") String strategy,
                           @JsonProperty("pausedMs") Long pausedMs, @JsonProperty("predictedTotalMs") Long predictedTotalMs,
                           @JsonProperty("predictedDowntimeMs") Long predictedDowntimeMs,
                           @JsonProperty("diskBytes") Long diskBytes, @JsonProperty("escalations") Integer escalations,
                           @JsonProperty("checks") java.util.List<dev.ferry.api.safety.Check> checks) {
        this.totalTimeMs = totalTimeMs;
        this.downtimeMs = downtimeMs;
        this.heartbeatGapMs = heartbeatGapMs;
        this.transferredBytes = transferredBytes;
        this.iterations = iterations;
        this.heartbeatBefore = heartbeatBefore;
        this.heartbeatAfter = heartbeatAfter;
        this.mode = mode;
        this.strategy = strategy;
        this.pausedMs = pausedMs;
        this.predictedTotalMs = predictedTotalMs;
        this.predictedDowntimeMs = predictedDowntimeMs;
        this.diskBytes = diskBytes;
        this.escalations = escalations;
        this.checks = checks == null ? null : java.util.List.copyOf(checks);
    }

    /** A result without a post-migration checklist (the record before the checks existed). */
    public MigrationResult(long totalTimeMs, Long downtimeMs, Long heartbeatGapMs, long transferredBytes, long iterations,
                           Long heartbeatBefore, Long heartbeatAfter, String mode, String strategy, Long pausedMs,
                           Long predictedTotalMs, Long predictedDowntimeMs, Long diskBytes, Integer escalations) {
        this(totalTimeMs, downtimeMs, heartbeatGapMs, transferredBytes, iterations, heartbeatBefore, heartbeatAfter, mode, strategy,
                pausedMs, predictedTotalMs, predictedDowntimeMs, diskBytes, escalations, null);
    }

    /** The same result with the post-migration checklist. */
    public MigrationResult withChecks(java.util.List<dev.ferry.api.safety.Check> list) {
        return new MigrationResult(totalTimeMs, downtimeMs, heartbeatGapMs, transferredBytes, iterations, heartbeatBefore,
                heartbeatAfter, mode, strategy, pausedMs, predictedTotalMs, predictedDowntimeMs, diskBytes, escalations, list);
    }

    /** A live migration's result without the mode details (the record before modes existed). */
    public MigrationResult(long totalTimeMs, Long downtimeMs, Long heartbeatGapMs, long transferredBytes, long iterations,
                           Long heartbeatBefore, Long heartbeatAfter) {
        this(totalTimeMs, downtimeMs, heartbeatGapMs, transferredBytes, iterations, heartbeatBefore, heartbeatAfter,
                null, null, null, null, null, null, null, null);
    }
}

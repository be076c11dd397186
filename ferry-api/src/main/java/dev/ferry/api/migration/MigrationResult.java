package dev.ferry.api.migration;

/**
 * The final record of a successful migration.
 *
 * @param downtimeMs          the pause as QEMU measured it
 * @param heartbeatGapMs      the longest silence of the guest's heartbeat across the switchover as
 *                            the agents observed it (null when the guest prints no heartbeat)
 * @param heartbeatBefore     the last heartbeat seen on the source
 * @param heartbeatAfter      the heartbeat seen on the destination at verification
 */
public record MigrationResult(
        long totalTimeMs,
        Long downtimeMs,
        Long heartbeatGapMs,
        long transferredBytes,
        long iterations,
        Long heartbeatBefore,
        Long heartbeatAfter) {}

package dev.ferry.controller.safety;

import java.time.Duration;

/**
 * The controller-wide defaults of the migration-safety features, from the server config
 * ({@code monitorSeconds: 10}, {@code backup: {retentionHours: 24}}): how long the post-migration
 * checks watch a guest when the request does not say, and how long a backup is kept once the
 * checks passed.
 */
public record SafetySettings(int monitorSeconds, int backupRetentionHours) {
    public static final int DEFAULT_MONITOR_SECONDS = 10;
    public static final int DEFAULT_RETENTION_HOURS = 24;
    public static final SafetySettings DEFAULT = new SafetySettings(DEFAULT_MONITOR_SECONDS, DEFAULT_RETENTION_HOURS);

    public SafetySettings {
        if (monitorSeconds < 0 || monitorSeconds > 3600) throw new IllegalArgumentException("monitorSeconds must be 0..3600");
        if (backupRetentionHours < 0) throw new IllegalArgumentException("backup retentionHours must be at least 0");
    }

    public static SafetySettings of(Integer monitorSeconds, Integer retentionHours) {
        return new SafetySettings(monitorSeconds == null ? DEFAULT_MONITOR_SECONDS : monitorSeconds,
                retentionHours == null ? DEFAULT_RETENTION_HOURS : retentionHours);
    }

    public Duration retention() { return Duration.ofHours(backupRetentionHours); }
}

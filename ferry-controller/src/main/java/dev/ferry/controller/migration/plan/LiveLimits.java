package dev.ferry.controller.migration.plan;

/**
 * What the user allows: the longest pause, the longest migration (null: no limit), and whether
 * post-copy and vCPU throttling may be used.
 */
public record LiveLimits(long maxDowntimeMs, Long maxDurationMs, boolean allowPostcopy, boolean allowThrottle) {
    public LiveLimits {
        if (maxDowntimeMs < 1) throw new IllegalArgumentException("maxDowntimeMs must be at least 1");
        if (maxDurationMs != null && maxDurationMs < 1) throw new IllegalArgumentException("maxDurationMs must be positive");
    }
}

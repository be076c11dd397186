package dev.ferry.controller.migration.plan;

import java.util.Locale;

/**
 * What the model predicts for one strategy, and whether that meets the user's limits.
 *
 * @param allowed         false when the user did not allow the strategy (post-copy, throttle)
 * @param converges       the model reaches the stop-and-copy (or the post-copy switch)
 * @param rounds          pre-copy passes before the stop-and-copy (the first full pass included)
 * @param totalMs         predicted total time of the transfer
 * @param downtimeMs      predicted pause of the guest
 * @param bytes           predicted bytes sent
 * @param downtimeLimitMs the QEMU downtime limit the strategy starts with
 * @param meetsLimits     allowed, converges, and within the maximum downtime and duration
 * @param reason          one line on why, for the plan event and a refusal
 */
public record Prediction(Strategy strategy, boolean allowed, boolean converges, int rounds, long totalMs, long downtimeMs,
                         long bytes, long downtimeLimitMs, boolean meetsLimits, String reason) {

    /** "precopy: 3 rounds, 12.4 s, downtime 18 ms, 320 MiB - converges at a 25 ms limit" */
    public String describe() {
        if (!allowed || !converges) return strategy.label() + ": " + reason;
        return String.format(Locale.ROOT, "%s: %d round%s, %.1f s, downtime %d ms, %.0f MiB%s - %s", strategy.label(), rounds,
                rounds == 1 ? "" : "s", totalMs / 1000.0, downtimeMs, bytes / 1048576.0, meetsLimits ? "" : " (misses the limits)",
                reason);
    }
}

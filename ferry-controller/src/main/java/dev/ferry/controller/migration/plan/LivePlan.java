package dev.ferry.controller.migration.plan;

import java.util.List;
import java.util.Map;

/**
 * The planner's decision for one live migration: the strategy, what it predicts for every
 * strategy, how QEMU is set up for it, and what is kept in reserve to escalate to.
 *
 * @param downtimeSteps      the downtime limits Ferry may use, ascending, the last one the user's maximum
 * @param initialDowntimeMs  the limit the migration starts with
 * @param capabilities       QEMU capabilities for both ends
 * @param parameters         further QEMU parameters for the source ({@code OutgoingRequest#TUNABLE})
 * @param throttle           auto-converge's parameters once it is active (planned or escalated to); null
 *                           when throttling is not allowed
 * @param throttleActive     auto-converge is part of the plan from the start (else it is only armed)
 */
public record LivePlan(Strategy strategy, LiveInputs inputs, LiveLimits limits, List<Prediction> predictions,
                       List<Long> downtimeSteps, long initialDowntimeMs, Map<String, Boolean> capabilities,
                       Map<String, Long> parameters, PrecopyModel.Throttle throttle, boolean throttleActive) {

    public LivePlan {
        predictions = List.copyOf(predictions);
        downtimeSteps = List.copyOf(downtimeSteps);
        capabilities = Map.copyOf(capabilities);
        parameters = Map.copyOf(parameters);
    }

    /**
     * The fixed policy of a request that names no mode (as before the modes existed): plain pre-copy
     * at the requested downtime limit, nothing measured or predicted, nothing to escalate to; a
     * transfer that stops shrinking still fails after a few passes instead of running forever.
     */
    public static LivePlan fixed(long downtimeMs, Long maxDurationMs) {
        return new LivePlan(Strategy.PRECOPY, null, new LiveLimits(downtimeMs, maxDurationMs, false, false), List.of(),
                List.of(downtimeMs), downtimeMs, Map.of(), Map.of(), null, false);
    }

    public Prediction chosen() {
        return predictions.stream().filter(p -> p.strategy() == strategy).findFirst().orElseThrow();
    }

    /** QEMU parameters that turn the armed auto-converge into an active one (Ferry's escalation). */
    public Map<String, Long> activeThrottleParameters() {
        if (throttle == null) return Map.of();
        return Map.of("throttle-trigger-threshold", (long) throttle.thresholdPct(), "cpu-throttle-initial", (long) throttle.initialPct(),
                "cpu-throttle-increment", (long) throttle.incrementPct());
    }
}

package dev.ferry.controller.migration.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Chooses how to run a live migration before it starts. {@link #predictAll} predicts rounds, total
 * time, downtime and bytes for every {@link Strategy} with the {@link PrecopyModel}; {@link #plan}
 * picks the cheapest one that the user allows and that meets the maximum downtime and duration, or
 * refuses with the reason for every strategy. Pure functions of measured inputs, so a benchmark can
 * put its predictions next to its measurements.
 */
public final class LivePlanner {
    private static final long MIB = 1024 * 1024;
    /** Without --max-duration the model still stops somewhere: a day. */
    private static final double NO_LIMIT_MS = 24 * 3600 * 1000.0;

    private LivePlanner() {}

    /** The downtime limits Ferry uses: half, three quarters and all of the user's maximum (distinct, at least 1 ms). */
    public static List<Long> downtimeSteps(long maxDowntimeMs) {
        TreeSet<Long> steps = new TreeSet<>();
        steps.add(Math.max(1, maxDowntimeMs / 2));
        steps.add(Math.max(1, maxDowntimeMs * 3 / 4));
        steps.add(maxDowntimeMs);
        return List.copyOf(steps);
    }

    /**
     * The XBZRLE cache for these inputs: the working set (or, unknown, what the guest dirties during the
     * first pass, the largest round after it) rounded up to a power of two.
     */
    public static long xbzrleCacheBytes(LiveInputs in) {
        long want = in.workingSetBytes() != null ? in.workingSetBytes()
                : Math.min(in.memoryBytes(), (long) ((double) in.dirtyBytesPerSec() * in.firstPass() / in.bandwidthBytesPerSec()));
        long pow = Long.highestOneBit(Math.max(want, MIB));
        return pow < want ? pow << 1 : pow;
    }

    /** auto-converge's first throttle: enough, by the model, that the throttled guest dirties half the link. */
    public static int initialThrottlePct(LiveInputs in) {
        if (in.dirtyBytesPerSec() <= in.bandwidthBytesPerSec() / 2) return 20;
        double p = 1 - (double) in.bandwidthBytesPerSec() / (2.0 * in.dirtyBytesPerSec());
        return (int) Math.max(20, Math.min(99, Math.ceil(p * 100)));
    }

    public static List<Prediction> predictAll(LiveInputs in, LiveLimits limits, ModelConstants k) {
        List<Long> steps = downtimeSteps(limits.maxDowntimeMs());
        Double cap = limits.maxDurationMs() == null ? NO_LIMIT_MS : limits.maxDurationMs().doubleValue();
        List<Prediction> out = new ArrayList<>();

        PrecopyModel.Run first = PrecopyModel.simulate(in, steps.get(0), 1.0, null, k.maxRounds(), cap);
        out.add(prediction(Strategy.PRECOPY, true, first, steps.get(0), limits, in, reason(first, steps.get(0), in, limits, "")));

        out.add(stepped(Strategy.DOWNTIME_STEPS, in, limits, steps.subList(Math.min(1, steps.size() - 1), steps.size()), 1.0, null, k, cap,
                true, ""));

        long cache = xbzrleCacheBytes(in);
        if (cache > Math.min(k.xbzrleCacheMaxBytes(), in.memoryBytes())) {
            out.add(new Prediction(Strategy.XBZRLE, true, false, 0, 0, 0, 0, 0, false, String.format(Locale.ROOT,
                    "the working set needs a %d MiB cache, more than Ferry uses (%d MiB)", cache / MIB,
                    Math.min(k.xbzrleCacheMaxBytes(), in.memoryBytes()) / MIB)));
        } else {
            out.add(stepped(Strategy.XBZRLE, in, limits, steps, k.xbzrleResendRatio(), null, k, cap, true,
                    String.format(Locale.ROOT, " with a %d MiB cache, re-sent pages at %.0f%% of their size", cache / MIB,
                            k.xbzrleResendRatio() * 100)));
        }

        PrecopyModel.Throttle throttle = new PrecopyModel.Throttle(initialThrottlePct(in), k.throttleIncrementPct(), 50);
        out.add(stepped(Strategy.AUTO_CONVERGE, in, limits, steps, 1.0, throttle, k, cap, limits.allowThrottle(),
                " with the vCPUs throttled from " + throttle.initialPct() + "%"));

        PrecopyModel.Run post = PrecopyModel.postcopy(in, k.postcopySwitchMs());
        String postWhy = limits.allowPostcopy() ? String.format(Locale.ROOT, "switches after the first pass (%.1f s); %.0f MiB follow on demand",
                in.firstPass() * 1.0 / in.bandwidthBytesPerSec(), (post.bytes() - in.firstPass()) / MIB)
                : "not allowed (pass --allow-postcopy; a failure of either host during post-copy loses the VM)";
        out.add(prediction(Strategy.POSTCOPY, limits.allowPostcopy(), post, limits.maxDowntimeMs(), limits, in, postWhy));
        return out;
    }

    /** The cheapest allowed strategy that meets the limits, or a refusal naming why each one does not. */
    public static PlanDecision plan(LiveInputs in, LiveLimits limits, Long bandwidthCapBytes, ModelConstants k) {
        List<Prediction> all = predictAll(in, limits, k);
        Prediction chosen = all.stream().filter(Prediction::meetsLimits).findFirst().orElse(null);
        if (chosen == null) return new PlanDecision(null, refusal(in, limits, all), all);
        Strategy s = chosen.strategy();
        Map<String, Boolean> caps = new LinkedHashMap<>();
        Map<String, Long> params = new LinkedHashMap<>();
        if (s == Strategy.XBZRLE) {
            caps.put("xbzrle", true);
            params.put("xbzrle-cache-size", xbzrleCacheBytes(in));
        }
        PrecopyModel.Throttle throttle = null;
        boolean throttleActive = s == Strategy.AUTO_CONVERGE;
        if (limits.allowThrottle()) {
            throttle = new PrecopyModel.Throttle(initialThrottlePct(in), k.throttleIncrementPct(), 50);
            caps.put("auto-converge", true);
            if (throttleActive) {
                params.put("throttle-trigger-threshold", 50L);
                params.put("cpu-throttle-initial", (long) throttle.initialPct());
                params.put("cpu-throttle-increment", (long) throttle.incrementPct());
            } else {
                // Armed only: QEMU cannot enable auto-converge mid-flight, so it is on but at the gentlest
                // setting, triggered only when the guest dirties more than the link moves; escalating sets the real values.
                params.put("throttle-trigger-threshold", 100L);
                params.put("cpu-throttle-initial", 1L);
                params.put("cpu-throttle-increment", 1L);
            }
        }
        if (limits.allowPostcopy()) {
            caps.put("postcopy-ram", true);
            if (bandwidthCapBytes != null) params.put("max-postcopy-bandwidth", bandwidthCapBytes);
        }
        LivePlan plan = new LivePlan(s, in, limits, all, downtimeSteps(limits.maxDowntimeMs()), chosen.downtimeLimitMs(), caps, params,
                throttle, throttleActive);
        return new PlanDecision(plan, null, all);
    }

    /** One line per plan: the choice, the inputs it rests on, and the runners-up. */
    public static String summary(LivePlan plan) {
        Prediction p = plan.chosen();
        return String.format(Locale.ROOT, "chose %s (predicted %.1f s, downtime %d ms, %d round%s) for %s", plan.strategy().label(),
                p.totalMs() / 1000.0, p.downtimeMs(), p.rounds(), p.rounds() == 1 ? "" : "s", inputs(plan.inputs()));
    }

    /** "memory 256 MiB (182 MiB resident), dirty rate ..."; the resident part only when it was measured. */
    public static String inputs(LiveInputs in) {
        return String.format(Locale.ROOT, "memory %d MiB%s, dirty rate %.1f MiB/s, working set %s, bandwidth %.1f MiB/s",
                in.memoryBytes() / MIB, in.firstPassBytes() == null ? "" : " (" + in.firstPassBytes() / MIB + " MiB resident)",
                in.dirtyBytesPerSec() / (double) MIB,
                in.workingSetBytes() == null ? "unknown" : (in.workingSetBytes() / MIB) + " MiB", in.bandwidthBytesPerSec() / (double) MIB);
    }

    private static Prediction stepped(Strategy s, LiveInputs in, LiveLimits limits, List<Long> steps, double resendRatio,
                                      PrecopyModel.Throttle throttle, ModelConstants k, Double cap, boolean allowed, String how) {
        if (!allowed) {
            return new Prediction(s, false, false, 0, 0, 0, 0, 0, false, "not allowed (pass --allow-throttle)");
        }
        PrecopyModel.Run last = null;
        long lastStep = steps.get(steps.size() - 1);
        for (long step : steps) {
            PrecopyModel.Run r = PrecopyModel.simulate(in, step, resendRatio, throttle, k.maxRounds(), cap);
            Prediction p = prediction(s, true, r, step, limits, in, reason(r, step, in, limits, how));
            if (p.meetsLimits()) return p;
            last = r;
        }
        return prediction(s, true, last, lastStep, limits, in, reason(last, lastStep, in, limits, how));
    }

    private static Prediction prediction(Strategy s, boolean allowed, PrecopyModel.Run r, long step, LiveLimits limits, LiveInputs in,
                                         String why) {
        boolean meets = allowed && r.converged() && Math.round(r.downtimeMs()) <= limits.maxDowntimeMs()
                && (limits.maxDurationMs() == null || r.totalMs() <= limits.maxDurationMs());
        return new Prediction(s, allowed, r.converged(), r.rounds(), Math.round(r.totalMs()), Math.round(r.downtimeMs()),
                Math.round(r.bytes()), step, meets, why);
    }

    private static String reason(PrecopyModel.Run r, long step, LiveInputs in, LiveLimits limits, String how) {
        if (r.converged()) {
            if (limits.maxDurationMs() != null && r.totalMs() > limits.maxDurationMs()) {
                return String.format(Locale.ROOT, "converges%s but needs %.0f s, more than --max-duration %d s", how, r.totalMs() / 1000,
                        limits.maxDurationMs() / 1000);
            }
            return String.format(Locale.ROOT, "converges%s at a %d ms downtime limit", how, step);
        }
        if (r.outOfTime()) {
            return String.format(Locale.ROOT, "does not converge%s within --max-duration %d s", how, limits.maxDurationMs() / 1000);
        }
        double b = in.bandwidthBytesPerSec();
        if (r.steadyBytes() > 0) {
            boolean wss = in.workingSetBytes() != null && r.capped();
            return String.format(Locale.ROOT, "does not converge%s: the guest dirties %.0f MiB/s against a %.0f MiB/s link, so every"
                            + " round leaves about %.0f MiB dirty%s, which takes %.0f ms to send, more than the %d ms limit",
                    how, in.dirtyBytesPerSec() / (double) MIB, b / MIB, r.steadyBytes() / MIB,
                    wss ? " (its writable working set)" : "", r.steadyBytes() / b * 1000, step);
        }
        return String.format(Locale.ROOT, "does not converge%s: still %.0f MiB dirty after %d rounds", how, r.steadyBytes() / MIB, r.rounds());
    }

    private static String refusal(LiveInputs in, LiveLimits limits, List<Prediction> all) {
        StringBuilder sb = new StringBuilder("no allowed strategy can move this guest within a downtime of ")
                .append(limits.maxDowntimeMs()).append(" ms");
        if (limits.maxDurationMs() != null) sb.append(" and ").append(limits.maxDurationMs() / 1000).append(" s");
        sb.append(" (").append(inputs(in)).append("): ");
        List<String> parts = new ArrayList<>();
        for (Prediction p : all) parts.add(p.describe());
        sb.append(String.join("; ", parts));
        return sb.toString();
    }
}

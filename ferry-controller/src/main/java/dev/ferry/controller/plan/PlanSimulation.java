package dev.ferry.controller.plan;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan's ETA: runs the {@link PlanScheduler} on a simulated clock with every move taking its
 * predicted time, assuming all succeed. Moves that share a link share its bandwidth fairly, so each
 * of n concurrent moves on one link progresses at 1/n of its own rate (what the runner's bandwidth
 * sharing makes QEMU do). The result is the predicted wall time of the whole plan from its start
 * (or from the window's opening, if that is later).
 */
public final class PlanSimulation {
    private PlanSimulation() {}

    /** Predicted start and end of each move, and the whole plan's duration. */
    public record Result(long totalMs, Map<Integer, Long> startMs, Map<Integer, Long> endMs, Map<Integer, String> skipped) {}

    public static Result run(List<PlanScheduler.Move> moves, PlanDefinition.Limits limits, Instant start, Instant windowStart,
                             Instant windowEnd) {
        PlanScheduler s = new PlanScheduler(moves, limits, windowStart, windowEnd, PlanDefinition.OnFailure.CONTINUE);
        Map<Integer, Long> predicted = new HashMap<>();
        for (PlanScheduler.Move m : moves) predicted.put(m.seq(), Math.max(1, m.predictedMs()));
        Instant t0 = windowStart != null && windowStart.isAfter(start) ? windowStart : start;
        double now = 0;
        Map<Integer, Double> remaining = new HashMap<>(); // ms of work left at full link rate
        Map<Integer, Long> starts = new HashMap<>();
        Map<Integer, Long> ends = new HashMap<>();
        Map<Integer, String> skipped = new HashMap<>();
        while (!s.done()) {
            PlanScheduler.Decision d = s.next(t0.plusMillis((long) now));
            for (PlanScheduler.Skip k : d.skips()) skipped.put(k.seq(), k.reason());
            for (PlanScheduler.Start st : d.starts()) {
                remaining.put(st.seq(), (double) predicted.get(st.seq()));
                starts.put(st.seq(), (long) now);
            }
            if (remaining.isEmpty()) {
                if (s.done()) break;
                throw new IllegalStateException("the simulated plan makes no progress");
            }
            // The next move to end, each progressing at 1/n of its rate on a link that n moves share.
            double dt = Double.MAX_VALUE;
            int first = -1;
            for (Map.Entry<Integer, Double> e : remaining.entrySet()) {
                double t = e.getValue() * s.sharing(e.getKey());
                if (t < dt) {
                    dt = t;
                    first = e.getKey();
                }
            }
            Map<Integer, Integer> share = new HashMap<>();
            for (Integer seq : remaining.keySet()) share.put(seq, s.sharing(seq));
            for (Map.Entry<Integer, Double> e : remaining.entrySet()) e.setValue(e.getValue() - dt / share.get(e.getKey()));
            now += dt;
            remaining.remove(first);
            ends.put(first, (long) Math.ceil(now));
            s.finished(first, true, null);
        }
        long waitMs = t0.toEpochMilli() - start.toEpochMilli();
        return new Result((long) Math.ceil(now) + Math.max(0, waitMs), starts, ends, skipped);
    }
}

package dev.ferry.bench.evacuation;

/**
 * One guest's move in a run, as measured: route, when it started and ended relative to the run's
 * start (for the chart's timeline), QEMU's total time, downtime and bytes, the prediction where one
 * was made (the plan's, for the evacuation), and what the guest's own self-checks said afterwards.
 */
public record Move(String vm, String from, String to, String state, long startMs, long endMs, Long totalMs, Long downtimeMs,
                   Long bytes, Long predictedTotalMs, Long predictedDowntimeMs, Long predictedBytes, String guestCheck) {
    public boolean succeeded() { return "succeeded".equals(state); }
}

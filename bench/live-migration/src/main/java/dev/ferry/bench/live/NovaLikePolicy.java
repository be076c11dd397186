package dev.ferry.bench.live;

import dev.ferry.api.migration.MigrationStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fixed policy in the manner of OpenStack Nova's libvirt driver with auto-converge permitted: the
 * downtime limit starts at a tenth of its maximum and rises linearly in ten steps, one every
 * {@code 75 s x data size in GiB}, to 500 ms; the migration is aborted after
 * {@code 800 s x data size in GiB}; auto-converge is on with QEMU's throttle defaults; the stream is
 * not capped. The data size is the guest's RAM in GiB (no disks move here: the bench guest has none).
 * It is written from Nova's documented options, not its code: the point is the shape of a
 * time-driven policy that does not look at the guest, to set Ferry's measured one against.
 */
public final class NovaLikePolicy implements BaselinePolicy {
    static final long MAX_DOWNTIME_MS = 500;
    static final int STEPS = 10;
    static final double STEP_DELAY_S_PER_GIB = 75;
    static final double COMPLETION_TIMEOUT_S_PER_GIB = 800;
    /** "No cap", as libvirt asks for when Nova's live_migration_bandwidth is 0. */
    static final long UNCAPPED_BYTES_PER_SEC = 1L << 40;

    /** One step: from {@code atMs} after the start, the downtime limit is {@code downtimeMs}. */
    record DowntimeStep(long atMs, long downtimeMs) {}

    private final List<DowntimeStep> steps;
    private final long timeoutMs;
    private int applied = -1;

    public NovaLikePolicy(double dataGiB) {
        if (dataGiB <= 0) throw new IllegalArgumentException("dataGiB must be positive");
        this.steps = steps(dataGiB);
        this.timeoutMs = Math.round(COMPLETION_TIMEOUT_S_PER_GIB * dataGiB * 1000);
    }

    static List<DowntimeStep> steps(double dataGiB) {
        long delayMs = (long) (STEP_DELAY_S_PER_GIB * dataGiB) * 1000;
        double base = MAX_DOWNTIME_MS / (double) STEPS;
        double offset = (MAX_DOWNTIME_MS - base) / STEPS;
        List<DowntimeStep> out = new ArrayList<>();
        for (int i = 0; i <= STEPS; i++) out.add(new DowntimeStep(delayMs * i, (long) (base + offset * i)));
        return List.copyOf(out);
    }

    List<DowntimeStep> steps() { return steps; }

    long timeoutMs() { return timeoutMs; }

    @Override
    public String name() { return "nova-like"; }

    @Override
    public Map<String, Boolean> capabilities() { return Map.of("auto-converge", true); }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("downtime-limit", steps.get(0).downtimeMs(), "max-bandwidth", UNCAPPED_BYTES_PER_SEC);
    }

    @Override
    public Step onReading(long elapsedMs, MigrationStats stats) {
        if (elapsedMs > timeoutMs) {
            return new Step(null, true, "completion timeout " + timeoutMs / 1000 + " s (800 s/GiB) reached: abort");
        }
        int due = applied;
        while (due + 1 < steps.size() && steps.get(due + 1).atMs() <= elapsedMs) due++;
        if (due == applied) return Step.NONE;
        applied = due;
        DowntimeStep s = steps.get(due);
        return new Step(s.downtimeMs(), false, "downtime step " + due + ": " + s.downtimeMs() + " ms at " + elapsedMs / 1000 + " s");
    }
}

package dev.ferry.controller.plan;

import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.controller.migration.plan.LiveInputs;
import dev.ferry.controller.migration.plan.LiveLimits;
import dev.ferry.controller.migration.plan.LivePlanner;
import dev.ferry.controller.migration.plan.ModelConstants;
import dev.ferry.controller.migration.plan.PlanDecision;
import dev.ferry.controller.migration.plan.Prediction;
import dev.ferry.controller.migration.plan.PrecopyModel;
import dev.ferry.controller.store.PlanItemRecord.Figures;
import java.util.Locale;

/**
 * Predicts one move of a plan with the controller's own live-migration model ({@link LivePlanner}
 * over the {@link PrecopyModel}): the VM's memory, the link's bandwidth (the newest link
 * measurement, capped by QEMU's default max-bandwidth or the plan's bandwidth; without a
 * measurement QEMU's default cap of 128 MiB/s) and the guest's dirty rate (measured through its
 * agent; when it cannot be, {@link #ASSUMED_DIRTY_BYTES} is assumed). Live takes the strategy the
 * planner would choose (the cheapest meeting the limits; plain pre-copy's figures when none does);
 * warm is one pass of the paused guest's memory, all of it downtime; cold is a shutdown and a boot
 * ({@link #COLD_STOP_MS} + {@link #COLD_START_MS}, disks on shared storage: copying local disks is not
 * predicted). The figures are for the move alone on its link; with them comes the transfer time
 * when 1..{@link #MAX_SHARING} moves share the link fairly (the same model at 1/k of the link, so a
 * guest dirtying near its share is predicted slow or not converging), which the scheduler's
 * link-aware rule and the ETA use.
 */
public final class MovePredictor {
    public static final long ASSUMED_DIRTY_BYTES = 4L << 20;
    public static final long COLD_STOP_MS = 5_000;
    public static final long COLD_START_MS = 3_000;
    /**
     * What a live migration's job takes besides QEMU's transfer, assumed: the plan phase's dirty-rate
     * and link measurements (about 2.5 s), starting the destination QEMU and the post-switchover
     * verification. The ETA adds it to each move; the per-VM duration compares QEMU's transfer time.
     */
    public static final long LIVE_SETUP_MS = 5_000;
    /** A warm migration's job besides its one pass: destination start, pause and resume. */
    public static final long WARM_SETUP_MS = 3_000;
    private static final long MIB = 1 << 20;
    /** How many fair shares of a link are predicted per move. */
    public static final int MAX_SHARING = 4;

    /** The wall time a move's job is expected to take: the predicted transfer plus the mode's setup. */
    public static long jobMs(Figures predicted, String mode) {
        long transfer = predicted == null || predicted.totalMs() == null ? 0 : predicted.totalMs();
        long setup = MigrationRequest.COLD.equals(mode) ? 0 : MigrationRequest.WARM.equals(mode) ? WARM_SETUP_MS : LIVE_SETUP_MS;
        return Math.max(1, transfer + setup);
    }

    private final PlanInputs inputs;

    public MovePredictor(PlanInputs inputs) { this.inputs = inputs; }

    /** A prediction, the one line of what it rests on, and the transfer ms when k moves share the link (index k-1; -1: does not converge). */
    public record Predicted(Figures figures, String basis, java.util.List<Long> transferMsBySharing) {
        public Predicted {
            transferMsBySharing = transferMsBySharing == null ? java.util.List.of() : java.util.List.copyOf(transferMsBySharing);
        }
    }

    public Predicted predict(String vm, String source, String destination, long memoryMiB, MigrationRequest req) {
        long link = linkBytesPerSec(source, destination, req);
        String linkWhy = inputs.linkBytesPerSec(source, destination).isPresent() ? "measured link" : "no link measurement: QEMU's default cap";
        long memory = memoryMiB * MIB;
        String mode = req.modeOrDefault();
        if (MigrationRequest.COLD.equals(mode)) {
            long ms = COLD_STOP_MS + COLD_START_MS;
            return new Predicted(new Figures(ms, ms, 0L), "cold: shutdown and boot assumed " + COLD_STOP_MS + " + " + COLD_START_MS
                    + " ms, disks on shared storage", java.util.List.of());
        }
        if (MigrationRequest.WARM.equals(mode)) {
            PrecopyModel.Run r = PrecopyModel.warm(memory, link);
            java.util.List<Long> shared = new java.util.ArrayList<>();
            for (int k = 1; k <= MAX_SHARING; k++) shared.add(Math.round(PrecopyModel.warm(memory, Math.max(1, link / k)).totalMs()));
            return new Predicted(figures(r.totalMs(), r.downtimeMs(), r.bytes()),
                    String.format(Locale.ROOT, "warm: %d MiB in one pass at %.0f MiB/s (%s)", memoryMiB, link / (double) MIB, linkWhy), shared);
        }
        var measured = inputs.dirtyBytesPerSec(source, vm);
        long dirty = measured.orElse(ASSUMED_DIRTY_BYTES);
        LiveInputs in = new LiveInputs(memory, dirty, link, null, null);
        LiveLimits limits = new LiveLimits(req.maxDowntimeOrDefault(), req.maxDurationSeconds() == null ? null
                : req.maxDurationSeconds() * 1000L, req.postcopyAllowed(), req.throttleAllowed());
        PlanDecision d = LivePlanner.plan(in, limits, req.bandwidthBytesPerSec(), ModelConstants.DEFAULT);
        Prediction p = d.refused() ? d.predictions().get(0) : d.plan().chosen();
        java.util.List<Long> shared = new java.util.ArrayList<>();
        for (int k = 1; k <= MAX_SHARING; k++) {
            long share = Math.max(1, link / k);
            PlanDecision dk = LivePlanner.plan(new LiveInputs(memory, dirty, share, null, null), limits, share, ModelConstants.DEFAULT);
            shared.add(dk.refused() ? -1L : dk.plan().chosen().totalMs());
        }
        String basis = String.format(Locale.ROOT, "live %s: %s (%s; dirty rate %s)%s; sharing the link: %s", p.strategy().label(),
                LivePlanner.inputs(in), linkWhy, measured.isPresent() ? "measured" : "assumed " + ASSUMED_DIRTY_BYTES / MIB + " MiB/s",
                d.refused() ? "; no strategy meets the limits, so the migration may be refused" : "", shares(shared));
        return new Predicted(new Figures(p.totalMs(), p.downtimeMs(), p.bytes()), basis, shared);
    }

    /** What one move may use of the link: the measurement (or QEMU's default cap), at most that cap and the plan's bandwidth. */
    public long linkBytesPerSec(String source, String destination, MigrationRequest req) {
        long link = Math.min(inputs.linkBytesPerSec(source, destination).orElse(OutgoingRequest.DEFAULT_MAX_BANDWIDTH_BYTES),
                OutgoingRequest.DEFAULT_MAX_BANDWIDTH_BYTES);
        if (req.bandwidthBytesPerSec() != null) link = Math.min(link, req.bandwidthBytesPerSec());
        return Math.max(1, link);
    }

    /** "1/2 2.3 s, 1/3 does not converge, ..." for the basis line. */
    static String shares(java.util.List<Long> transferMs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int k = 2; k <= transferMs.size(); k++) {
            long t = transferMs.get(k - 1);
            out.add("1/" + k + " " + (t < 0 ? "does not converge" : String.format(Locale.ROOT, "%.1f s", t / 1000.0)));
        }
        return String.join(", ", out);
    }

    private static Figures figures(double total, double down, double bytes) {
        return new Figures(Math.round(total), Math.round(down), Math.round(bytes));
    }
}

package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.plan.Escalator;
import dev.ferry.controller.migration.plan.LiveInputs;
import dev.ferry.controller.migration.plan.LiveLimits;
import dev.ferry.controller.migration.plan.LivePlanner;
import dev.ferry.controller.migration.plan.ModelConstants;
import dev.ferry.controller.migration.plan.PlanDecision;
import dev.ferry.controller.migration.plan.Prediction;
import java.util.Locale;

/**
 * Plans a live migration before anything changes: measures how fast the guest dirties memory (QEMU
 * page sampling over {@link #SHORT_MS} and {@link #LONG_MS}, the longer window revealing the
 * writable working set when the guest keeps rewriting the same pages) and how much of its RAM is
 * resident (what the first pass must send in full), takes the link's bandwidth (the user's
 * {@code --bandwidth} cap when given, else a {@link #PROBE_MS} probe between the hosts' migration
 * addresses), predicts every strategy and picks the cheapest that meets the limits
 * ({@link LivePlanner}). The plan and every prediction go into the job's events. If no allowed
 * strategy can meet the limits the migration is refused here, with the reason for each strategy,
 * and nothing was touched.
 */
public final class PlanPhase implements Phase {
    static final long SHORT_MS = 500;
    static final long LONG_MS = 2000;
    static final long PROBE_MS = 1000;

    @Override
    public String name() { return "plan"; }

    /** Only live migrations that name their mode are planned; a request without one keeps the fixed policy. */
    @Override
    public boolean appliesTo(MigrationContext ctx) { return MigrationRequest.LIVE.equals(ctx.request().mode()); }

    @Override
    public void run(MigrationContext ctx) {
        long dirty = 0;
        Long wss = null;
        Long resident = null;
        if (ctx.source().show(ctx.vm()).state() == VmState.RUNNING) {
            DirtyRate shortWindow = ctx.source().dirtyRate(ctx.vm(), SHORT_MS);
            ctx.checkAbort();
            DirtyRate longWindow = ctx.source().dirtyRate(ctx.vm(), LONG_MS);
            ctx.checkAbort();
            wss = dev.ferry.controller.migration.plan.WorkingSetEstimate.of(shortWindow.bytesPerSec(), SHORT_MS,
                    longWindow.bytesPerSec(), LONG_MS);
            dirty = Math.max(shortWindow.bytesPerSec(), longWindow.bytesPerSec());
            resident = residentBytes(shortWindow, longWindow);
        } else {
            ctx.journal().event("plan", "the guest is paused: it dirties nothing while it stays paused");
        }
        Long cap = ctx.request().bandwidthBytesPerSec();
        long bandwidth;
        String source;
        if (cap != null) {
            bandwidth = cap;
            source = "the --bandwidth cap";
        } else {
            LinkProbe.Target t = ctx.destination().openLinkProbe();
            LinkProbe.Result r = ctx.source().sendLinkProbe(new LinkProbe.Send(t.host(), t.port(), PROBE_MS));
            bandwidth = Math.max(1, r.bytesPerSec());
            source = String.format(Locale.ROOT, "a %d ms probe of the link %s -> %s", PROBE_MS, ctx.sourceHost(), ctx.destinationHost());
        }
        long memory = (long) ctx.spec().memoryMiB() * 1024 * 1024;
        LiveInputs in = new LiveInputs(memory, dirty, bandwidth, wss, resident);
        MigrationRequest req = ctx.request();
        // Post-copy is not combined with mirroring local disks: the mirrors end at QEMU's pre-switchover pause, which a
        // post-copy switch does not go through the same way; such a migration plans without post-copy.
        boolean postcopy = req.postcopyAllowed() && ctx.storage() == null;
        if (req.postcopyAllowed() && !postcopy) {
            ctx.journal().event("warning", "post-copy is not used for a VM whose local disks are mirrored along; planning without it");
        }
        LiveLimits limits = new LiveLimits(req.maxDowntimeOrDefault(),
                req.maxDurationSeconds() == null ? null : req.maxDurationSeconds() * 1000L, postcopy, req.throttleAllowed());
        PlanDecision d = LivePlanner.plan(in, limits, cap, ModelConstants.DEFAULT);
        ctx.journal().event("plan", "measured: " + LivePlanner.inputs(in) + " (bandwidth from " + source + "; dirty rate over "
                + SHORT_MS + " ms, working set from a " + LONG_MS + " ms window"
                + (resident == null ? "; resident memory unknown, so the first pass counts all of it"
                : "; resident memory from the source QEMU process")
                + ")");
        for (Prediction p : d.predictions()) ctx.journal().event("plan", "predicted " + p.describe());
        if (d.refused()) throw new FerryException(ErrorCode.MIGRATION_REFUSED, d.refusal());
        ctx.modes().planned(d.plan(), new Escalator(d.plan()));
        ctx.journal().event("plan", LivePlanner.summary(d.plan()) + "; starts at a " + d.plan().initialDowntimeMs()
                + " ms downtime limit; capabilities " + d.plan().capabilities().keySet()
                + (postcopy && d.plan().strategy() != dev.ferry.controller.migration.plan.Strategy.POSTCOPY
                ? "; post-copy in reserve" : "")
                + (req.throttleAllowed() && !d.plan().throttleActive() ? "; auto-converge armed in reserve" : ""));
    }

    /**
     * What the first pass must send in full, from the two measurements: the larger resident size (a
     * running guest mostly touches more memory as time goes on, and the larger errs on the long side),
     * the one that was read if the other was not, null if neither (an older agent, smaps unreadable).
     */
    static Long residentBytes(DirtyRate shortWindow, DirtyRate longWindow) {
        Long a = shortWindow.residentBytes();
        Long b = longWindow.residentBytes();
        if (a == null) return b;
        return b == null ? a : Math.max(a, b);
    }
}

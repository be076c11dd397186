package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.StreamBandwidth;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.plan.Escalator;
import dev.ferry.controller.migration.plan.LiveInputs;
import dev.ferry.controller.migration.plan.LiveLimits;
import dev.ferry.controller.migration.plan.LivePlanner;
import dev.ferry.controller.migration.plan.ModelConstants;
import dev.ferry.controller.migration.plan.PlanDecision;
import dev.ferry.controller.migration.plan.Prediction;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Plans a live migration before anything changes: measures how fast the guest dirties memory (QEMU
 * page sampling over {@link #SHORT_MS} and {@link #LONG_MS}, the longer window revealing the
 * writable working set when the guest keeps rewriting the same pages) and how much of its RAM is
 * resident (what the first pass must send in full), takes the link's bandwidth (the user's
 * {@code --bandwidth} cap when given, else a {@link #PROBE_MS} probe between the hosts' migration
 * addresses, run alongside the guest's measurement; {@link StreamBandwidth} says which, and that
 * without a cap QEMU is allowed the whole link), predicts every strategy and picks the cheapest that meets the limits
 * ({@link LivePlanner}). The plan and every prediction go into the job's events. If no allowed
 * strategy can meet the limits the migration is refused here, with the reason for each strategy,
 * and nothing was touched.
 */
public final class PlanPhase implements Phase {
    static final long SHORT_MS = 500;
    static final long LONG_MS = 2000;
    static final long PROBE_MS = 500;

    @Override
    public String name() { return "plan"; }

    /** Only live migrations that name their mode are planned; a request without one keeps the fixed policy. */
    @Override
    public boolean appliesTo(MigrationContext ctx) { return MigrationRequest.LIVE.equals(ctx.request().mode()); }

    @Override
    public void run(MigrationContext ctx) {
        // The link probe and the guest's measurement need different things (the network, QEMU's page
        // sampling), so they run side by side: planning costs the longer of the two, not their sum.
        FutureTask<Link> link = new FutureTask<>(() -> measureLink(ctx));
        Thread probe = new Thread(link, "plan-link-probe-" + ctx.vm());
        probe.setDaemon(true);
        probe.start();
        GuestReading guest = measureGuest(ctx);
        Link l = await(link);
        ctx.checkAbort();
        long dirty = guest.dirtyBytesPerSec();
        Long wss = guest.workingSetBytes();
        Long resident = guest.residentBytes();
        Long cap = StreamBandwidth.of(ctx.request()).capBytesPerSec();
        long bandwidth = l.bytesPerSec();
        String source = l.source();
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

    /** What the guest does: its dirty rate, working set and resident memory (zeros while it is paused). */
    record GuestReading(long dirtyBytesPerSec, Long workingSetBytes, Long residentBytes) {}

    /** The link's bandwidth for the plan, and where the figure came from. */
    record Link(long bytesPerSec, String source) {}

    private GuestReading measureGuest(MigrationContext ctx) {
        if (ctx.source().show(ctx.vm()).state() != VmState.RUNNING) {
            ctx.journal().event("plan", "the guest is paused: it dirties nothing while it stays paused");
            return new GuestReading(0, null, null);
        }
        DirtyRate shortWindow = ctx.source().dirtyRate(ctx.vm(), SHORT_MS);
        ctx.checkAbort();
        DirtyRate longWindow = ctx.source().dirtyRate(ctx.vm(), LONG_MS);
        Long wss = dev.ferry.controller.migration.plan.WorkingSetEstimate.of(shortWindow.bytesPerSec(), SHORT_MS,
                longWindow.bytesPerSec(), LONG_MS);
        return new GuestReading(Math.max(shortWindow.bytesPerSec(), longWindow.bytesPerSec()), wss,
                residentBytes(shortWindow, longWindow));
    }

    private static Link measureLink(MigrationContext ctx) {
        StreamBandwidth rule = StreamBandwidth.of(ctx.request());
        if (rule.isCapped()) return new Link(rule.plannedBytesPerSec(null), rule.plannedSource(null, null));
        LinkProbe.Target t = ctx.destination().openLinkProbe();
        LinkProbe.Result r = ctx.source().sendLinkProbe(new LinkProbe.Send(t.host(), t.port(), PROBE_MS));
        String probe = String.format(Locale.ROOT, "a %d ms probe of the link %s -> %s", PROBE_MS, ctx.sourceHost(), ctx.destinationHost());
        return new Link(rule.plannedBytesPerSec(r.bytesPerSec()), rule.plannedSource(r.bytesPerSec(), probe));
    }

    /** The probe's result; its failure is the plan's failure, with the probe's own error. */
    private static Link await(FutureTask<Link> link) {
        try {
            return link.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new FerryException(ErrorCode.INTERNAL, "the link probe failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.cancel(true);
            throw new FerryException(ErrorCode.INTERNAL, "interrupted while probing the link", e);
        }
    }
}

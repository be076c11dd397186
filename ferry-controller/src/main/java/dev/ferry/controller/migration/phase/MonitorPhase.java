package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.SafetyProbeClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.api.safety.PerfSample;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.ModeState;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.safety.Checklist;
import dev.ferry.controller.store.BackupRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The post-migration checks: after the switchover (and after the source copy is retired) the guest
 * is watched on the destination for {@code monitorSeconds} (the request's, else the controller's
 * default; at least one second, for the work sample): its run state and console every half second,
 * a work sample at the start and end of the window, and once the NICs of the destination's QEMU.
 * {@link Checklist} judges them, together with what the copy and mirror phases established about the
 * disks. The checklist goes to the job (one event per check, and the result's list). A failed check
 * does not throw: the VM keeps running where it runs and the engine marks the job
 * {@code VERIFICATION_FAILED} (and migrates it back when the request asks to). When every check
 * passed, the backup's retention starts. Reading errors are failed checks, not phase errors.
 */
public final class MonitorPhase implements Phase {
    private static final Duration POLL = Duration.ofMillis(500);

    @Override
    public String name() { return "monitor"; }

    @Override
    public void run(MigrationContext ctx) {
        if (ctx.modes().isSourceShutDown() && !ctx.modes().sourceWasRunning()) {
            // A cold move of a shut-off VM leaves it shut off: there is no guest to watch, only disks.
            finish(ctx, List.of(Check.pass("running-on-destination", "the VM was shut off before the move and stays shut off on "
                    + ctx.destinationHost() + " (not started, nothing to watch)"), Checklist.disks(disks(ctx))));
            return;
        }
        int seconds = ctx.request().monitorSeconds() != null ? ctx.request().monitorSeconds() : ctx.safety().settings().monitorSeconds();
        long windowMs = Math.max(1, seconds) * 1000L;
        ctx.journal().event("info", "watching '" + ctx.vm() + "' on " + ctx.destinationHost() + " for " + windowMs / 1000 + " s");
        AgentClient dest = ctx.destination();
        PerfSample a0 = sample(dest, ctx.vm());
        List<Checklist.Reading> readings = new ArrayList<>();
        long end = System.currentTimeMillis() + windowMs;
        while (true) {
            readings.add(read(dest, ctx.vm()));
            if (System.currentTimeMillis() >= end) break;
            TransferPhase.sleep(POLL);
        }
        PerfSample a1 = sample(dest, ctx.vm());
        List<Check> checks = new ArrayList<>();
        checks.add(Checklist.running(ctx.destinationHost(), readings));
        checks.add(Checklist.heartbeat(ctx.destinationHost(), readings));
        checks.add(Checklist.selfChecks(ctx.destinationHost(), readings));
        checks.add(Checklist.disks(disks(ctx)));
        checks.add(nics(ctx));
        checks.add(Checklist.performance(ctx.safety().baselineFirst(), ctx.safety().baselineLast(), a0, a1));
        finish(ctx, checks);
    }

    /** Records the checklist and, when it passed, starts the backup's retention. */
    private static void finish(MigrationContext ctx, List<Check> checks) {
        ctx.safety().checks(checks);
        for (Check c : checks) ctx.journal().event("check", (c.ok() ? "OK " : "FAILED ") + c.check() + ": " + c.detail());
        BackupRecord b = ctx.safety().backup();
        if (b == null) return;
        if (ctx.safety().failed()) {
            ctx.journal().event("backup", "backup " + b.id() + " stays kept: a post-migration check failed");
        } else {
            Instant until = Instant.now().plus(ctx.safety().settings().retention());
            ctx.safety().backups().update(b.id(), BackupRecord.RETAINED, until, "post-migration checks passed");
            ctx.journal().event("backup", "post-migration checks passed: backup " + b.id() + " is kept until " + until + ", then deleted");
        }
    }

    private static Checklist.Reading read(AgentClient dest, String vm) {
        long at = System.currentTimeMillis();
        VmState state;
        try {
            state = dest.show(vm).state();
        } catch (FerryException e) {
            return new Checklist.Reading(at, null, null);
        }
        GuestHealth h;
        try {
            h = dest.guestHealth(vm);
        } catch (FerryException e) {
            h = null;
        }
        return new Checklist.Reading(at, state, h);
    }

    private static PerfSample sample(AgentClient dest, String vm) {
        try {
            return SafetyProbeClient.of(dest).perfSample(vm);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.MIGRATION_ABORTED) throw e;
            return null;
        }
    }

    private static Check nics(MigrationContext ctx) {
        try {
            List<NicBinding> actual = SafetyProbeClient.of(ctx.destination()).nics(ctx.vm());
            return Checklist.nics(ctx.destinationHost(), ctx.destination().show(ctx.vm()).spec().nics(), actual);
        } catch (FerryException e) {
            return Check.fail("nics-on-mapped-networks", "cannot read the NICs on " + ctx.destinationHost() + ": " + e.getMessage());
        }
    }

    /** What the earlier phases proved about each disk: a verified copy, a mirror that ended in sync, or shared storage. */
    static List<Checklist.DiskEvidence> disks(MigrationContext ctx) {
        List<Checklist.DiskEvidence> out = new ArrayList<>();
        List<String> mirrored = ctx.storage() == null ? List.of() : ctx.storage().diskIds();
        for (DiskSpec d : ctx.spec().disks()) {
            ModeState.CopiedDisk copy = ctx.modes().copies().stream().filter(c -> c.diskId().equals(d.id())).findFirst().orElse(null);
            if (copy != null) {
                out.add(new Checklist.DiskEvidence(d.id(), copy.digest() != null, "copied while shut off; sha256 " + copy.digest()
                        + " read by both hosts (copy-disks phase)"));
            } else if (mirrored.contains(d.id())) {
                boolean synced = ctx.storage().isMirrorFinished();
                out.add(new Checklist.DiskEvidence(d.id(), synced, synced
                        ? "mirrored; QEMU's mirror job was in sync when the guest stopped on the source and completed (complete-mirror phase)"
                        : "mirrored, but the mirror was not completed"));
            } else {
                out.add(new Checklist.DiskEvidence(d.id(), true, "on storage both hosts share: the same image, not copied, nothing to compare"));
            }
        }
        return out;
    }
}

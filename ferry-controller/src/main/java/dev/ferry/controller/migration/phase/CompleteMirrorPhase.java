package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.storage.MirrorStatus;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;

/**
 * Live migration with local disks, step 3, after the memory transfer completed: the source agent
 * confirms its mirrors ended in sync at the switchover (it cancels them at QEMU's pre-switchover
 * pause, while the guest runs nowhere) and removes them, and the destination stops its NBD
 * server. A mirror that did not end in sync fails the migration, and the cleanup hands the guest
 * back to the source with its own disks.
 */
public final class CompleteMirrorPhase implements Phase {
    @Override
    public String name() { return "complete-mirror"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.storage() != null; }

    @Override
    public void run(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null) return;
        MirrorStatus s = StorageClient.of(ctx.source()).finishMirror(ctx.vm());
        StorageClient.of(ctx.destination()).stopNbdExport(ctx.vm());
        plan.mirrorFinished();
        ctx.journal().event("info", "disk mirrors " + s.jobs().stream().map(MirrorStatus.Job::disk).toList()
                + " ended in sync at the switchover; the destination's NBD server is stopped");
    }

    /**
     * If this phase itself failed, the memory transfer has completed but the switchover phase (whose
     * cleanup hands the guest back) never started: the paused source copy must be resumed here, after
     * the destination copy is killed, or the guest would run nowhere. Once this phase has succeeded,
     * the later phases' cleanups do that.
     */
    @Override
    public void cleanup(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null || plan.isMirrorFinished()) return;
        SwitchoverPhase.returnToSource(ctx);
    }
}

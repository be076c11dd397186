package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.storage.TargetDisksRequest;
import dev.ferry.api.storage.TargetDisksResponse;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;

/**
 * Live migration with local disks, step 1: the destination creates empty target images of the
 * same virtual size in the planned pool and format, and the VM's spec for the destination is
 * switched to them, so the destination QEMU (next phase) starts with its target disks. Does
 * nothing when every disk is on shared storage. Cleanup deletes the images it created; it runs
 * after the destination's QEMU and definition are gone (the next phase's cleanup runs first), and
 * never once the transfer completed unless the guest was handed back to the source.
 */
public final class PrepareTargetDisksPhase implements Phase {
    @Override
    public String name() { return "prepare-target-disks"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.storage() != null; }

    @Override
    public void run(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null) return;
        TargetDisksResponse r = StorageClient.of(ctx.destination()).createTargets(new TargetDisksRequest(ctx.id(), ctx.spec(),
                plan.pool(), plan.format(), plan.sizes()));
        plan.targetsCreated(r.created());
        ctx.prepared(ctx.sourceInfo(), ctx.destinationInfo(), r.spec());
        ctx.journal().event("info", ctx.destinationHost() + " created target images " + r.created());
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null || plan.createdTargets().isEmpty()) return;
        if (ctx.isTransferCompleted() && !ctx.isHandedBack()) {
            // The destination ran the guest on these images and it was not handed back: they may hold its only current disks.
            ctx.journal().event("cleanup", "kept the target images " + plan.createdTargets() + " on " + ctx.destinationHost()
                    + ": the guest was not handed back to " + ctx.sourceHost());
            return;
        }
        StorageClient.of(ctx.destination()).deleteImages(new DeleteImagesRequest(plan.createdTargets()));
        ctx.journal().event("cleanup", "deleted the target images " + plan.createdTargets() + " on " + ctx.destinationHost());
    }
}

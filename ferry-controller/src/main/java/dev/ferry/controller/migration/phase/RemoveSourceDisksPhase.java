package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;
import java.util.List;

/**
 * Live migration with local disks, last step: once the source copy of the VM is gone, its local
 * disk images are deleted there, unless the request keeps them. This phase never fails: the VM
 * already lives on the destination, and a rollback now would destroy it, so a failure to delete
 * is only reported (the images are then left for an operator).
 */
public final class RemoveSourceDisksPhase implements Phase {
    @Override
    public String name() { return "remove-source-disks"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.storage() != null; }

    @Override
    public void run(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null) return;
        if (plan.keepSource()) {
            ctx.journal().event("info", "kept the source images " + plan.sourcePaths() + " on " + ctx.sourceHost() + " (keepSource)");
            return;
        }
        try {
            List<String> deleted = StorageClient.of(ctx.source()).deleteImages(new DeleteImagesRequest(plan.sourcePaths()));
            ctx.journal().event("info", "deleted the source images " + deleted + " on " + ctx.sourceHost());
        } catch (RuntimeException e) {
            ctx.journal().event("warning", "the source images " + plan.sourcePaths() + " on " + ctx.sourceHost()
                    + " were not deleted: " + e.getMessage());
        }
    }
}

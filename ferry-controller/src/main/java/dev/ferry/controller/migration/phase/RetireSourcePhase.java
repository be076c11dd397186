package dev.ferry.controller.migration.phase;

import dev.ferry.api.migration.RetireRequest;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;

/**
 * The end of a cold migration, once the destination has proven itself: the source forgets the
 * shut-off VM and deletes the images that were copied (never images on shared storage), unless
 * {@code --keep-source} asked to keep them. From here on there is nothing to roll back to.
 */
public final class RetireSourcePhase implements Phase {
    @Override
    public String name() { return "finish"; }

    @Override
    public void run(MigrationContext ctx) {
        ctx.checkAbort();
        boolean delete = !ctx.modes().copies().isEmpty() && !ctx.request().keepsSource();
        ctx.source().retire(ctx.vm(), new RetireRequest(ctx.id(), delete));
        ctx.sourceFinished();
        ctx.journal().event("info", "'" + ctx.vm() + "' is gone from " + ctx.sourceHost() + (ctx.modes().copies().isEmpty()
                ? " (its disks are on shared storage)" : delete ? "; its copied images there were deleted"
                : "; its images there were kept (--keep-source)"));
    }
}

package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;

/**
 * Gives up the source copy once the destination has proven itself: the source agent quits the
 * paused QEMU and removes the definition, and the phase checks the source no longer knows the VM.
 * From here on there is nothing to roll back to; the destination is the VM.
 */
public final class FinishPhase implements Phase {
    @Override
    public String name() { return "finish"; }

    @Override
    public void run(MigrationContext ctx) {
        ctx.checkAbort();
        ctx.source().finishSource(ctx.vm());
        ctx.sourceFinished();
        try {
            ctx.source().show(ctx.vm());
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "the source still lists '" + ctx.vm() + "' after finishing");
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
        ctx.journal().event("info", "the source copy on " + ctx.sourceHost() + " is gone");
    }
}

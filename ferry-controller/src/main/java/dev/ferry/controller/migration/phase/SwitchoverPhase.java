package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;

/**
 * Confirms the switchover QEMU performed at the end of the transfer: the source guest is paused for
 * good and the destination runs it. Until the destination confirms, the source copy is kept. Its
 * cleanup is the one rollback that must respect order: first the destination copy is killed, only
 * then is the source resumed, so the guest never runs on two hosts.
 */
public final class SwitchoverPhase implements Phase {
    private static final int CONFIRM_TRIES = 40;

    @Override
    public String name() { return "switchover"; }

    @Override
    public void run(MigrationContext ctx) {
        VmState dest = null;
        for (int i = 0; i < CONFIRM_TRIES; i++) {
            ctx.checkAbort();
            VmInfo d = ctx.destination().show(ctx.vm());
            dest = d.state();
            if (dest == VmState.RUNNING) break;
            TransferPhase.sleep(TransferPhase.POLL);
        }
        if (dest != VmState.RUNNING) {
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "the destination did not start the guest (state "
                    + (dest == null ? "unknown" : dest.json()) + ")");
        }
        VmState src = ctx.source().show(ctx.vm()).state();
        if (src != VmState.MIGRATED) {
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "the source is " + src.json() + ", not migrated; refusing to switch");
        }
        ctx.journal().event("info", "the guest runs on " + ctx.destinationHost() + "; the source copy is paused");
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        returnToSource(ctx);
    }

    /**
     * Kills the destination copy, then resumes the paused source copy. Only if the source agent
     * answers that its copy is still there, paused after the migration: otherwise (agent away,
     * copy already finished) the destination holds the only copy of the guest and is left alone,
     * and this throws, so the job is left to reconciliation.
     */
    static void returnToSource(MigrationContext ctx) {
        if (!ctx.isTransferCompleted() || ctx.isSourceFinished()) return;
        if (ctx.modes().isPostcopyStarted()) {
            throw new FerryException(ErrorCode.INVALID_STATE, "the migration ran in post-copy: the guest lives on "
                    + ctx.destinationHost() + " and the copy on " + ctx.sourceHost() + " is stale; nothing is handed back");
        }
        VmState src = ctx.source().show(ctx.vm()).state();
        if (src != VmState.MIGRATED) {
            throw new FerryException(ErrorCode.INVALID_STATE, "cannot hand the guest back to " + ctx.sourceHost()
                    + ": its copy there is " + src.json() + ", not paused after the migration; the copy on "
                    + ctx.destinationHost() + " is kept");
        }
        PrepareDestinationPhase.discardDestination(ctx);
        ctx.source().recoverSource(ctx.vm());
        ctx.journal().event("cleanup", "resumed the guest on " + ctx.sourceHost());
    }
}

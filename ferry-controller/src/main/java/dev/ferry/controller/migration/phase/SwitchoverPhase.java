package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.HandBack;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.util.List;

/**
 * Confirms the switchover QEMU performed at the end of the transfer: the source guest is paused for
 * good and the destination runs it. Until the destination confirms, the source copy is kept. Its
 * cleanup is the one rollback that must respect order: first the destination copy is killed, only
 * then is the source resumed, so the guest never runs on two hosts; and it is not done at all when
 * the destination already ran the guest on shared disks ({@link HandBack}).
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
     * Settles who keeps the guest after the transfer completed ({@link HandBack}): resumes the
     * paused source copy (after killing the destination's) only when no disk the destination ran on
     * is shared; else the destination keeps the guest it runs and the stale source copy is retired.
     * Where neither is safe, or the source agent does not answer, nothing is resumed and this throws,
     * so the job is left to reconciliation (which decides the same way).
     */
    static void returnToSource(MigrationContext ctx) {
        if (!ctx.isTransferCompleted() || ctx.isSourceFinished()) return;
        VmState src = ctx.source().show(ctx.vm()).state();
        VmState dest = destinationState(ctx);
        HandBack.Verdict v = HandBack.decide(src, dest, ctx.modes().isPostcopyStarted(), sharedDisks(ctx));
        switch (v.decision()) {
            case RESUME_SOURCE -> {
                PrepareDestinationPhase.discardDestination(ctx);
                ctx.source().recoverSource(ctx.vm());
                ctx.handedBack();
                ctx.journal().event("cleanup", "resumed the guest on " + ctx.sourceHost());
            }
            case KEEP_DESTINATION -> {
                if (src != VmState.MIGRATED) {
                    throw new FerryException(ErrorCode.INVALID_STATE, "cannot hand the guest back to " + ctx.sourceHost() + ": "
                            + v.reason() + "; the copy on " + ctx.destinationHost() + " is kept");
                }
                ctx.source().finishSource(ctx.vm());
                ctx.sourceFinished();
                ctx.journal().event("cleanup", "the guest stays on " + ctx.destinationHost() + ", not handed back: " + v.reason()
                        + "; retired the paused copy on " + ctx.sourceHost());
            }
            case LEAVE_TO_OPERATOR -> throw new FerryException(ErrorCode.INVALID_STATE, "nothing was resumed: " + v.reason());
        }
    }

    /** Disks the destination used in place: every disk of the VM that was not mirrored along. */
    static List<String> sharedDisks(MigrationContext ctx) {
        List<String> mirrored = ctx.storage() == null ? List.of() : ctx.storage().diskIds();
        return ctx.spec().disks().stream().map(DiskSpec::id).filter(id -> !mirrored.contains(id)).toList();
    }

    private static VmState destinationState(MigrationContext ctx) {
        try {
            return ctx.destination().show(ctx.vm()).state();
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_FOUND) return null;
            throw e;
        }
    }
}

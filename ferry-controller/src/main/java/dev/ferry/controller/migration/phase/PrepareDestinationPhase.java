package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;

/**
 * Starts the destination: the agent defines the VM, starts QEMU with the identical machine and
 * {@code -incoming defer}, and listens for the (TLS) stream. Cleanup discards the destination's
 * QEMU and definition as long as it has not received the whole guest; it is the last cleanup to
 * run, after any source-side rollback.
 */
public final class PrepareDestinationPhase implements Phase {
    @Override
    public String name() { return "prepare-destination"; }

    @Override
    public void run(MigrationContext ctx) {
        boolean tls = !ctx.request().isInsecure();
        IncomingResponse r = ctx.destination().prepareIncoming(new IncomingRequest(ctx.id(), ctx.spec(), tls, ctx.modes().capabilities()));
        ctx.destinationReady(r);
        ctx.journal().event("info", ctx.destinationHost() + " listens on " + r.uri() + (tls ? " (TLS)" : " (plaintext, --insecure)"));
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        // Once QEMU has handed the guest over, the destination may hold its only running copy: only
        // SwitchoverPhase.returnToSource, which first makes sure the source can take it back, removes it then.
        if (ctx.isTransferCompleted()) return;
        discardDestination(ctx);
    }

    /** Kills and undefines the destination copy; tolerates one that is already gone. */
    static void discardDestination(MigrationContext ctx) {
        try {
            ctx.destination().discard(ctx.vm(), true);
            ctx.journal().event("cleanup", "removed the destination copy on " + ctx.destinationHost());
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
    }
}

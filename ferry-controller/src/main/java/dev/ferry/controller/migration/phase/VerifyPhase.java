package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.time.Duration;

/**
 * Proves the guest survived the move before the source copy is given up: on the destination the
 * guest's heartbeat must advance past the last one seen on the source, and its self-checks must
 * report no corruption and no kernel panic. A guest that prints no heartbeat is verified by QEMU's
 * run state alone, and the journal says so.
 */
public final class VerifyPhase implements Phase {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Override
    public String name() { return "verify"; }

    @Override
    public void run(MigrationContext ctx) {
        GuestHealth before = ctx.source().guestHealth(ctx.vm());
        ctx.sourceHealth(before);
        if (before.heartbeat() == null) {
            ctx.journal().event("warning", "the guest prints no heartbeat; verified by QEMU's run state only");
            return;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        GuestHealth after;
        do {
            ctx.checkAbort();
            after = ctx.destination().guestHealth(ctx.vm());
            if (!after.ok()) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the guest reports a problem on " + ctx.destinationHost()
                        + (after.panicked() ? " (kernel panic)" : "") + ": " + after.lastLine());
            }
            if (after.heartbeat() != null && after.heartbeat() > before.heartbeat()) break;
            TransferPhase.sleep(TransferPhase.POLL);
        } while (System.nanoTime() < deadline);
        if (after.heartbeat() == null || after.heartbeat() <= before.heartbeat()) {
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "the guest's heartbeat did not advance on "
                    + ctx.destinationHost() + " within " + WAIT.toSeconds() + " s (last on source: " + before.heartbeat() + ")");
        }
        ctx.destinationHealth(after);
        ctx.journal().event("verify", "heartbeat " + before.heartbeat() + " on " + ctx.sourceHost() + " -> " + after.heartbeat()
                + " on " + ctx.destinationHost() + "; guest self-checks OK");
    }
}

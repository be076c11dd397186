package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.time.Duration;

/**
 * Proves a cold-migrated guest works on the destination before the source copy is given up: it
 * booted, its heartbeat advances, its self-checks report no corruption (the test guest also checks
 * every disk record it wrote before the shutdown: a lost or damaged record fails this), and, if it
 * wrote to its disk on the source, it writes there again. A guest that prints no heartbeat is
 * verified by QEMU's run state alone; a guest that was shut off is verified by its images' digests.
 */
public final class ColdVerifyPhase implements Phase {
    static final Duration WAIT = Duration.ofSeconds(120);

    @Override
    public String name() { return "verify"; }

    @Override
    public void run(MigrationContext ctx) {
        if (!ctx.modes().sourceWasRunning()) {
            ctx.journal().event("verify", "the VM was shut off: verified by the images' digests");
            return;
        }
        GuestHealth before = ctx.sourceHealth();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Long firstBeat = null;
        GuestHealth h;
        while (true) {
            ctx.checkAbort();
            h = ctx.destination().guestHealth(ctx.vm());
            if (!h.ok()) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the guest reports a problem on " + ctx.destinationHost()
                        + (h.panicked() ? " (kernel panic)" : "") + ": " + h.lastLine());
            }
            if (h.heartbeat() != null && firstBeat == null) firstBeat = h.heartbeat();
            boolean beats = firstBeat != null && h.heartbeat() > firstBeat;
            boolean disk = before == null || before.diskSeq() == null || h.diskSeq() != null;
            if (beats && disk) break;
            if (before != null && before.heartbeat() == null && System.nanoTime() > deadline - WAIT.toNanos() / 2) {
                ctx.journal().event("warning", "the guest prints no heartbeat; verified by QEMU's run state only");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the guest did not come up on " + ctx.destinationHost()
                        + " within " + WAIT.toSeconds() + " s (last line: " + h.lastLine() + ")");
            }
            TransferPhase.sleep(TransferPhase.POLL);
        }
        ctx.destinationHealth(h);
        ctx.journal().event("verify", "the guest booted on " + ctx.destinationHost() + ": heartbeat " + h.heartbeat()
                + (h.diskSeq() == null ? "" : ", disk records up to " + h.diskSeq()) + ", self-checks OK");
    }
}

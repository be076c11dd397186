package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.controller.migration.LiveSteering;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.StreamBandwidth;
import java.time.Duration;

/**
 * Runs QEMU's pre-copy transfer from source to destination and follows it until QEMU reports
 * completed (the source guest is then paused for good, and the destination resumes it). Each
 * reading goes to the journal; a failed or cancelled stream, a stall, or an abort ends the phase
 * with an error. Cleanup cancels a transfer that has not completed, which leaves the source
 * running; if the stream completed in the meantime it hands the guest back to the source.
 */
public final class TransferPhase implements Phase {
    static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    @Override
    public String name() { return "transfer"; }

    @Override
    public void run(MigrationContext ctx) {
        ctx.sourceHealth(ctx.source().guestHealth(ctx.vm()));
        OutgoingRequest req = LiveSteering.request(ctx, StreamBandwidth.of(ctx.request()));
        ctx.source().migrate(ctx.vm(), req);
        ctx.transferStarted();
        if (follow(ctx)) ctx.transferCompleted();
    }

    /** Follows the stream until QEMU completes it (true) or the live plan hands over to post-copy (false). */
    private boolean follow(MigrationContext ctx) {
        long lastProgressAt = System.nanoTime();
        long lastTransferred = -1;
        while (true) {
            sleep(POLL);
            if (ctx.abortRequested()) ctx.checkAbort();
            MigrationStats s = ctx.source().migrationStats(ctx.vm());
            ctx.stats(s);
            ctx.journal().progress(s);
            switch (s.status()) {
                case "completed" -> { return true; }
                case "failed" -> throw new FerryException(ErrorCode.MIGRATION_FAILED, "QEMU's migration stream failed"
                        + (s.error() == null ? "" : ": " + s.error()));
                case "cancelled" -> throw new FerryException(ErrorCode.MIGRATION_FAILED, "the migration was cancelled on the source");
                default -> { }
            }
            if (LiveSteering.onReading(ctx, s)) return false;
            if (s.transferredBytes() != lastTransferred) {
                lastTransferred = s.transferredBytes();
                lastProgressAt = System.nanoTime();
            } else if (System.nanoTime() - lastProgressAt > STALL_LIMIT.toNanos()) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "no data moved for " + STALL_LIMIT.toSeconds() + " s");
            }
        }
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        if (!ctx.isTransferStarted() || ctx.isTransferCompleted()) return;
        MigrationStats s = ctx.source().cancelMigration(ctx.vm());
        for (int i = 0; i < 80 && !s.isFinished() && !s.status().equals("none"); i++) {
            sleep(POLL);
            s = ctx.source().migrationStats(ctx.vm());
        }
        ctx.journal().event("cleanup", "cancelled the transfer on " + ctx.sourceHost() + " (QEMU status " + s.status() + ")");
        if (s.status().equals("completed")) {
            ctx.transferCompleted();
            SwitchoverPhase.returnToSource(ctx);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.MIGRATION_ABORTED, "the controller is shutting down");
        }
    }
}

package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.ResumeRequest;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.time.Duration;

/**
 * Switches a live migration to post-copy when the plan or an escalation asked for it (only with
 * {@code --allow-postcopy}): the guest then runs on the destination and pulls the pages it still
 * lacks from the source, so from this moment neither host may fail and the guest can no longer go
 * back; an abort is no longer honoured and nothing is rolled back. The phase follows the post-copy
 * to completion. When the stream stalls (no byte moved for {@link #STUCK}) the source is paused
 * (QEMU's {@code migrate-pause}), since a dead link may otherwise hang until TCP gives up; when
 * both ends are {@code postcopy-paused} (by that, or by a connection error) it recovers: the
 * destination listens anew ({@code migrate-recover}), the source reconnects
 * ({@code migrate resume=true}), retried with exponential backoff (1 s doubling to
 * {@link #MAX_BACKOFF}) for at most {@link #RECOVERY_LIMIT}. If that time passes, both QEMUs are
 * left exactly as they are, so the migration can still be recovered by hand once the link returns.
 */
public final class PostcopyPhase implements Phase {
    static final Duration STUCK = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    static final Duration RECOVERY_LIMIT = Duration.ofMinutes(5);
    private static final Duration RESUME_WAIT = Duration.ofSeconds(10);

    @Override
    public String name() { return "postcopy"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.modes().isPostcopyRequested(); }

    @Override
    public void run(MigrationContext ctx) {
        ctx.checkAbort();
        MigrationStats s;
        try {
            s = ctx.source().startPostcopy(ctx.vm());
        } catch (FerryException e) {
            MigrationStats now = ctx.source().migrationStats(ctx.vm());
            if (!"completed".equals(now.status())) throw e;
            ctx.journal().event("info", "pre-copy completed before the switch to post-copy; no post-copy needed");
            ctx.stats(now);
            ctx.transferCompleted();
            return;
        }
        ctx.modes().postcopyStarted();
        ctx.transferCompleted(); // the destination now holds the guest; no rollback may remove it
        ctx.journal().event("escalate", "switched to post-copy (" + ctx.modes().postcopyReason() + "): the guest now runs on "
                + ctx.destinationHost() + " and fetches its remaining memory from " + ctx.sourceHost()
                + "; until this ends a failure of either host loses the VM");
        follow(ctx, s);
    }

    private void follow(MigrationContext ctx, MigrationStats first) {
        long lastBytes = first.transferredBytes();
        long lastMove = System.nanoTime();
        boolean abortNoted = false;
        while (true) {
            TransferPhase.sleep(TransferPhase.POLL);
            if (!abortNoted && ctx.abortRequestedRaw()) {
                abortNoted = true;
                ctx.journal().event("warning", "abort requested during post-copy: the guest already runs on " + ctx.destinationHost()
                        + " and cannot go back; finishing the migration");
            }
            MigrationStats s = ctx.source().migrationStats(ctx.vm());
            ctx.stats(s);
            ctx.journal().progress(s);
            switch (s.status()) {
                case "completed" -> {
                    if (ctx.modes().recoveries() > 0) {
                        ctx.journal().event("info", "post-copy completed after " + ctx.modes().recoveries() + " recovery(ies)");
                    }
                    return;
                }
                case "failed", "cancelled" -> throw new FerryException(ErrorCode.MIGRATION_FAILED, "post-copy " + s.status()
                        + (s.error() == null ? "" : ": " + s.error()) + "; the guest's memory is split between " + ctx.sourceHost()
                        + " and " + ctx.destinationHost() + " and both QEMUs are kept for an operator");
                case "postcopy-paused" -> {
                    recover(ctx);
                    lastMove = System.nanoTime();
                    lastBytes = -1;
                }
                case "postcopy-active" -> {
                    if (s.transferredBytes() != lastBytes) {
                        lastBytes = s.transferredBytes();
                        lastMove = System.nanoTime();
                    } else if (System.nanoTime() - lastMove > STUCK.toNanos() && s.remainingBytes() > 0) {
                        ctx.journal().event("warning", "post-copy moved no data for " + STUCK.toSeconds() + " s; pausing it on "
                                + ctx.sourceHost() + " to recover the stream");
                        pauseQuietly(ctx);
                        lastMove = System.nanoTime();
                    }
                }
                default -> { }
            }
        }
    }

    /** Brings a paused post-copy back: both ends must reconnect; retried with backoff, bounded in time. */
    private void recover(MigrationContext ctx) {
        ctx.journal().event("warning", "post-copy paused: the stream between " + ctx.sourceHost() + " and " + ctx.destinationHost()
                + " broke; recovering (for at most " + RECOVERY_LIMIT.toMinutes() + " min)");
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        Duration backoff = Duration.ofSeconds(1);
        int attempt = 0;
        String why = "";
        while (System.nanoTime() < deadline) {
            attempt++;
            try {
                String dst = ctx.destination().migrationStats(ctx.vm()).status();
                if (dst.equals("postcopy-paused") || dst.startsWith("postcopy-recover")) {
                    IncomingResponse r = ctx.destination().recoverIncoming(ctx.vm());
                    MigrationStats src = ctx.source().migrationStats(ctx.vm());
                    if (src.status().equals("postcopy-paused")) ctx.source().resumeMigration(ctx.vm(), new ResumeRequest(ctx.id(), r.uri()));
                    if (awaitResumed(ctx)) {
                        ctx.modes().recovered();
                        ctx.journal().event("info", "post-copy recovered (attempt " + attempt + "): " + ctx.destinationHost()
                                + " listened on " + r.uri());
                        return;
                    }
                    why = "the source could not reconnect to " + r.uri();
                } else {
                    why = ctx.destinationHost() + " has not noticed the broken stream yet (" + dst + ")";
                }
            } catch (FerryException e) {
                why = e.getMessage();
            }
            ctx.journal().event("warning", "post-copy recovery attempt " + attempt + " failed: " + why + "; next in "
                    + backoff.toSeconds() + " s");
            TransferPhase.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        throw new FerryException(ErrorCode.MIGRATION_FAILED, "post-copy could not be recovered within " + RECOVERY_LIMIT.toMinutes()
                + " min (" + why + "); the guest waits on " + ctx.destinationHost() + " for memory held by " + ctx.sourceHost()
                + "; both QEMUs are kept so the migration can still be recovered");
    }

    /** True once the source left postcopy-paused for a working state. */
    private static boolean awaitResumed(MigrationContext ctx) {
        long deadline = System.nanoTime() + RESUME_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            TransferPhase.sleep(TransferPhase.POLL);
            String st = ctx.source().migrationStats(ctx.vm()).status();
            if (st.equals("postcopy-active") || st.equals("completed")) return true;
            if (st.equals("postcopy-paused")) return false;
        }
        return false;
    }

    private static void pauseQuietly(MigrationContext ctx) {
        try {
            ctx.source().pauseMigration(ctx.vm());
        } catch (FerryException e) {
            ctx.journal().event("warning", "could not pause the post-copy: " + e.getMessage());
        }
    }
}

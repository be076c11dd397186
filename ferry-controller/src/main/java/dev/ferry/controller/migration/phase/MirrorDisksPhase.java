package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.storage.MirrorRequest;
import dev.ferry.api.storage.MirrorStatus;
import dev.ferry.api.storage.NbdExportRequest;
import dev.ferry.api.storage.NbdExportResponse;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;
import java.time.Duration;

/**
 * Live migration with local disks, step 2: the destination serves its target disks over NBD (TLS
 * unless the migration is insecure) and the source mirrors each local disk into them while the
 * guest runs, full sync then write-blocking; the phase ends when every mirror is ready (in sync and
 * staying so). The memory transfer follows; the source agent ends the mirrors at its switchover.
 * Cleanup abandons the mirrors on the source (its disks stay authoritative) and stops the export.
 */
public final class MirrorDisksPhase implements Phase {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);
    private static final long REPORT_EVERY_NS = 2_000_000_000L;

    @Override
    public String name() { return "mirror-disks"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.storage() != null; }

    @Override
    public void run(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null) return;
        boolean tls = !ctx.request().isInsecure();
        NbdExportResponse nbd = StorageClient.of(ctx.destination()).startNbdExport(ctx.vm(), new NbdExportRequest(tls, plan.diskIds()));
        plan.exported();
        ctx.journal().event("info", ctx.destinationHost() + " exports " + nbd.exports().keySet() + " over NBD on " + nbd.host() + ":"
                + nbd.port() + (tls ? " (TLS)" : " (plaintext, --insecure)"));
        Integer bw = ctx.request().bandwidthMiBps();
        StorageClient source = StorageClient.of(ctx.source());
        long t0 = System.nanoTime();
        plan.mirrorStarted();
        source.startMirror(ctx.vm(), new MirrorRequest(ctx.id(), nbd.host(), nbd.port(), tls, nbd.tlsHostname(), nbd.exports(),
                bw == null ? null : bw * 1024L * 1024L));
        follow(ctx, source, t0);
    }

    private static void follow(MigrationContext ctx, StorageClient source, long t0) {
        long lastProgressAt = t0;
        long lastReportAt = t0;
        long lastCopied = -1;
        while (true) {
            TransferPhase.sleep(TransferPhase.POLL);
            ctx.checkAbort();
            MirrorStatus s = source.mirrorStatus(ctx.vm());
            if (s.failed() != null) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "mirroring disk '" + s.failed().disk() + "' failed: " + s.failed().error());
            }
            if (s.jobs().size() != ctx.storage().diskIds().size()) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the source runs " + s.jobs().size() + " disk mirrors, expected "
                        + ctx.storage().diskIds().size() + ": " + s.jobs());
            }
            long now = System.nanoTime();
            if (s.allReady()) {
                ctx.journal().event("info", "disks in sync after " + (now - t0) / 1_000_000 + " ms: " + mib(s.copiedBytes())
                        + " MiB mirrored; write-blocking keeps them in sync until the switchover");
                return;
            }
            if (s.copiedBytes() != lastCopied) {
                lastCopied = s.copiedBytes();
                lastProgressAt = now;
            } else if (now - lastProgressAt > STALL_LIMIT.toNanos()) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the disk mirrors moved no data for " + STALL_LIMIT.toSeconds() + " s");
            }
            if (now - lastReportAt > REPORT_EVERY_NS) {
                lastReportAt = now;
                ctx.journal().event("progress", "disks: " + mib(s.copiedBytes()) + " of " + mib(s.totalBytes()) + " MiB mirrored");
            }
        }
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        StoragePlan plan = ctx.storage();
        if (plan == null) return;
        if (plan.isMirrorStarted()) {
            tolerateGone(() -> StorageClient.of(ctx.source()).cancelMirror(ctx.vm()));
            ctx.journal().event("cleanup", "removed the disk mirrors on " + ctx.sourceHost() + "; its disks stay authoritative");
        }
        if (plan.isExported()) {
            tolerateGone(() -> StorageClient.of(ctx.destination()).stopNbdExport(ctx.vm()));
        }
    }

    /** Runs a cleanup step; a VM that is no longer defined there has nothing left to clean. */
    static void tolerateGone(Runnable step) {
        try {
            step.run();
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
    }

    static long mib(long bytes) { return bytes >> 20; }
}

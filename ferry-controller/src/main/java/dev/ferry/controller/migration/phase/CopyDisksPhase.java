package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.TransferClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.ReceiveTicket;
import dev.ferry.api.transfer.SendRequest;
import dev.ferry.api.transfer.TransferStatus;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.ModeState;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Copies a shut-off VM's disks that are not on shared storage into a destination pool, one after
 * the other, with the agents' transfer service (mutual TLS between the hosts' migration addresses,
 * only allocated data sent, a checksum per chunk, and a whole-image SHA-256 that the receiver
 * computes from what it wrote and compares with the sender's before it moves the image into place).
 * Ferry checks once more that both sides report the same digest before the destination may use
 * the image. Progress goes to the job per disk (events at every quarter) and as a progress reading
 * over all disks. Cleanup stops copies, deletes partial images and removes finished copies.
 */
public final class CopyDisksPhase implements Phase {
    private static final Duration POLL = Duration.ofMillis(250);

    @Override
    public String name() { return "copy-disks"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) {
        return ctx.spec().disks().stream().anyMatch(d -> !StoragePlanner.sharedByBoth(ctx.sourceInfo(), ctx.destinationInfo(), d));
    }

    @Override
    public void run(MigrationContext ctx) {
        List<DiskSpec> disks = ctx.spec().disks().stream()
                .filter(d -> !StoragePlanner.sharedByBoth(ctx.sourceInfo(), ctx.destinationInfo(), d)).toList();
        long t0 = System.nanoTime();
        long[] doneBefore = {0};
        for (DiskSpec d : disks) {
            ctx.checkAbort();
            HostInfo.PoolInfo pool = ColdPlan.targetPool(ctx.sourceInfo(), ctx.destinationInfo(), d).orElseThrow();
            String id = transferId(ctx, d);
            ReceiveTicket t = TransferClient.of(ctx.destination()).prepareReceive(new ReceiveRequest(id, pool.name(), ColdPlan.fileName(d),
                    d.format()));
            ctx.modes().pendingTransfers().add(id);
            TransferClient.of(ctx.source()).sendDisk(ctx.vm(), d.id(), new SendRequest(id, t.address(), t.port(), t.token(), false,
                    ctx.request().bandwidthBytesPerSec()));
            ctx.journal().event("info", "copying disk '" + d.id() + "' (" + d.path() + ") to " + t.path() + " on " + ctx.destinationHost()
                    + " (transfer " + id + ")");
            TransferStatus sent = follow(ctx, d, id, t0, doneBefore[0]);
            TransferStatus received = TransferClient.of(ctx.destination()).incoming(id);
            if (received.isDone()) {
                ctx.modes().pendingTransfers().remove(id);
                ctx.modes().copies().add(new ModeState.CopiedDisk(d.id(), id, d.path(), received.path(), received.virtualSize(),
                        received.digest()));
            }
            if (!received.isDone() || sent.digest() == null || !sent.digest().equals(received.digest())) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "disk '" + d.id() + "' failed its end-to-end check: the source"
                        + " read sha256 " + sent.digest() + ", " + ctx.destinationHost() + " reports " + received.state() + " with "
                        + received.digest() + (received.error() == null ? "" : " (" + received.error() + ")"));
            }
            doneBefore[0] += received.virtualSize();
            ctx.journal().event("verify", String.format(Locale.ROOT, "disk '%s' copied and verified: %.1f MiB image, %.1f MiB of data"
                    + " on the wire, sha256 %s on both hosts", d.id(), received.virtualSize() / 1048576.0, sent.wireBytes() / 1048576.0,
                    received.digest()));
        }
    }

    private TransferStatus follow(MigrationContext ctx, DiskSpec d, String id, long t0, long doneBefore) {
        int quarter = 0;
        while (true) {
            TransferPhase.sleep(POLL);
            ctx.checkAbort();
            TransferStatus s = TransferClient.of(ctx.source()).outgoing(id);
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            long total = totalBytes(ctx, s, d);
            MigrationStats reading = new MigrationStats("copying-disks", elapsed, null, null, 0, doneBefore + s.doneBytes(),
                    Math.max(0, total - doneBefore - s.doneBytes()), total, 0, 4096,
                    s.wireBytes() * 8.0 / 1000 / Math.max(1, s.elapsedMs()), 0, null);
            ctx.stats(reading);
            ctx.journal().progress(reading);
            if (s.virtualSize() > 0) {
                int q = (int) (s.doneBytes() * 4 / s.virtualSize());
                if (q > quarter && q < 4) {
                    quarter = q;
                    ctx.journal().event("progress", String.format(Locale.ROOT, "disk '%s': %.1f of %.1f MiB (%d%%)", d.id(),
                            s.doneBytes() / 1048576.0, s.virtualSize() / 1048576.0, q * 25));
                }
            }
            if (s.isFinished()) {
                if (!s.isDone()) {
                    throw new FerryException(ErrorCode.MIGRATION_FAILED, "copying disk '" + d.id() + "' " + s.state()
                            + (s.error() == null ? "" : ": " + s.error()));
                }
                return s;
            }
        }
    }

    /** All copied disks' sizes, as far as known: the ones done, this one, and the rest at their current size (unknown: 0). */
    private static long totalBytes(MigrationContext ctx, TransferStatus current, DiskSpec d) {
        return ctx.modes().copiedBytes() + Math.max(current.virtualSize(), 0);
    }

    /** The sender holds a lease on the source image until its thread ends; the source VM cannot start before. */
    private static void awaitSenderStopped(MigrationContext ctx, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!TransferClient.of(ctx.source()).outgoing(id).isFinished() && System.nanoTime() < deadline) {
            TransferPhase.sleep(Duration.ofMillis(100));
        }
    }

    /** A transfer id the agents accept (letters, digits, '-', '_'; at most 64), unique per migration and disk. */
    static String transferId(MigrationContext ctx, DiskSpec d) {
        String disk = d.id().replaceAll("[^A-Za-z0-9_-]", "_");
        String id = "m" + ctx.id().replace("-", "").substring(0, 12) + "-" + disk;
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        List<String> problems = new ArrayList<>();
        for (String id : List.copyOf(ctx.modes().pendingTransfers())) {
            try {
                TransferClient.of(ctx.source()).cancelOutgoing(id);
                awaitSenderStopped(ctx, id);
            } catch (FerryException e) {
                if (e.code() != ErrorCode.NOT_FOUND) problems.add("cancel " + id + " on " + ctx.sourceHost() + ": " + e.getMessage());
            }
            try {
                TransferClient.of(ctx.destination()).cancelIncoming(id);
            } catch (FerryException e) {
                if (e.code() != ErrorCode.NOT_FOUND) problems.add("cancel " + id + " on " + ctx.destinationHost() + ": " + e.getMessage());
            }
        }
        List<String> copies = ctx.modes().copies().stream().map(ModeState.CopiedDisk::destinationPath).toList();
        if (!copies.isEmpty()) {
            List<String> deleted = ctx.destination().discardImages(new DiscardImagesRequest(ctx.id(), copies));
            ctx.journal().event("cleanup", "deleted the copied images on " + ctx.destinationHost() + ": " + deleted);
        }
        if (!problems.isEmpty()) throw new FerryException(ErrorCode.MIGRATION_FAILED, String.join("; ", problems));
        if (!ctx.modes().pendingTransfers().isEmpty()) {
            ctx.journal().event("cleanup", "stopped the disk copies " + ctx.modes().pendingTransfers() + " and removed their partial images");
        }
    }
}

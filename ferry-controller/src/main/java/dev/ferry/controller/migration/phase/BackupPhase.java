package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.store.BackupRecord;
import dev.ferry.controller.store.BackupStore;
import java.time.Instant;
import java.util.List;

/**
 * Takes the backup a request with {@code backup: true} asks for, before anything moves: a full
 * clone of the VM on its source (the agent's clone of a running VM is one QMP transaction of
 * {@code blockdev-backup sync=full}, so every disk is copied as it was at one instant,
 * crash-consistent, while the guest runs on; a stopped VM's disks are copied with
 * {@code qemu-img convert}). The clone's definition is dropped at once so nobody starts it; its
 * images stay in the source's pools and the backup is recorded in the database. It stays
 * {@code kept} until the post-migration checks pass ({@link MonitorPhase} then starts the
 * retention). Cleanup, when the migration fails, starts the retention too: the VM stayed on its
 * source, whose own disks are then the newer state.
 */
public final class BackupPhase implements Phase {
    @Override
    public String name() { return "backup"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return ctx.request().wantsBackup(); }

    @Override
    public void run(MigrationContext ctx) {
        BackupStore store = ctx.safety().backups();
        if (store == null) throw new FerryException(ErrorCode.INVALID_STATE, "this controller keeps no backup records");
        ctx.checkAbort();
        String name = cloneName(ctx);
        Instant takenAt = Instant.now();
        VmInfo clone = StorageClient.of(ctx.source()).clone(ctx.vm(), new CloneRequest(name, false, null));
        List<BackupView.BackupImage> images = clone.spec().disks().stream()
                .map(d -> new BackupView.BackupImage(d.id(), d.path(), d.format().json())).toList();
        try {
            ctx.source().delete(name);
            BackupRecord b = store.create(new BackupRecord(name, ctx.id(), ctx.vm(), ctx.sourceHost(), takenAt, BackupRecord.KEPT,
                    Json.mapper().writeValueAsString(images), Json.mapper().writeValueAsString(ctx.spec()), null,
                    "taken before the migration to " + ctx.destinationHost(), null));
            ctx.safety().backup(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot record the backup: " + e.getMessage());
        } catch (RuntimeException e) {
            discardImages(ctx, images.stream().map(BackupView.BackupImage::path).toList());
            throw e;
        }
        ctx.journal().event("backup", "point-in-time copy of " + images.size() + " disk(s) taken at " + takenAt + " on "
                + ctx.sourceHost() + " (backup " + name + "): " + images.stream().map(i -> i.diskId() + " -> " + i.path()).toList()
                + "; kept until the post-migration checks pass");
    }

    /** A name the agents accept for the short-lived clone, unique per migration. */
    static String cloneName(MigrationContext ctx) {
        String base = ctx.vm().length() > 40 ? ctx.vm().substring(0, 40) : ctx.vm();
        return base + "-backup-" + ctx.id().replace("-", "").substring(0, 8);
    }

    private static void discardImages(MigrationContext ctx, List<String> paths) {
        try {
            ctx.source().delete(cloneName(ctx));
        } catch (FerryException ignored) {
            // not defined any more
        }
        try {
            StorageClient.of(ctx.source()).deleteImages(new dev.ferry.api.storage.DeleteImagesRequest(paths));
        } catch (FerryException e) {
            ctx.journal().event("warning", "the backup images " + paths + " on " + ctx.sourceHost() + " could not be deleted: "
                    + e.getMessage());
        }
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        BackupRecord b = ctx.safety().backup();
        if (b == null) return;
        Instant until = Instant.now().plus(ctx.safety().settings().retention());
        ctx.safety().backups().update(b.id(), BackupRecord.RETAINED, until, "the migration failed and the VM stayed on its source");
        ctx.journal().event("cleanup", "backup " + b.id() + " is kept until " + until + " (retention), then deleted");
    }

    /** The disk ids of a spec, for events. */
    static List<String> ids(List<DiskSpec> disks) { return disks.stream().map(DiskSpec::id).toList(); }
}

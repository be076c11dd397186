package dev.ferry.controller.safety;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.migration.MigrationJournal;
import dev.ferry.controller.store.BackupRecord;
import dev.ferry.controller.store.BackupStore;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry migration rollback JOB --to-backup}: the VM goes back to its source as it was at the
 * backup's time; every change since then is lost. The order keeps it on exactly one host: the VM is
 * stopped on the destination (its definition and disks stay), then defined on the source with its
 * own name, uuid and MACs but the backup's images as disks, and started there. If the source cannot
 * run it, its definition there is removed and the destination starts it again, so a failed restore
 * leaves the VM running where it was, never nowhere. Once the source runs it, the destination's
 * definition and its unshared images are removed; an image on storage both hosts share (the VM's
 * disk before the restore) is left for an operator, since it holds the lost changes. The backup's
 * images are the VM's disks from then on (state {@code restored}; never deleted by the retention).
 */
final class RestoreFromBackup {
    private static final Duration BOOT_WAIT = Duration.ofSeconds(120);

    private final MigrationStore store;
    private final BackupStore backups;
    private final VmStore vms;
    private final AgentDirectory agents;

    RestoreFromBackup(MigrationStore store, BackupStore backups, VmStore vms, AgentDirectory agents) {
        this.store = store;
        this.backups = backups;
        this.vms = vms;
        this.agents = agents;
    }

    /** Checks what can be checked before anything changes; returns the backup to restore. */
    BackupRecord check(MigrationRecord job, boolean confirmed) {
        BackupRecord b = backups.forMigration(job.id()).orElseThrow(() -> new FerryException(ErrorCode.BACKUP_NOT_FOUND,
                "migration " + job.id() + " took no backup (it was started without --backup)"));
        if (!b.restorable()) {
            throw new FerryException(ErrorCode.INVALID_STATE, "backup " + b.id() + " of migration " + job.id() + " is " + b.state()
                    + " and cannot be restored");
        }
        if (!confirmed) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, lossWarning(job.vm(), b.takenAt()) + "; confirm to go ahead");
        }
        VmInfo here = agents.client(job.destHost()).show(job.vm());
        if (here.state() != dev.ferry.api.vm.VmState.RUNNING && here.state() != dev.ferry.api.vm.VmState.PAUSED
                && here.state() != dev.ferry.api.vm.VmState.SHUTOFF) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + job.vm() + "' is " + here.state().json() + " on " + job.destHost());
        }
        try {
            agents.client(job.sourceHost()).show(job.vm());
            throw new FerryException(ErrorCode.VM_EXISTS, job.sourceHost() + " still has a VM named '" + job.vm() + "'");
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
        return b;
    }

    static String lossWarning(String vm, Instant takenAt) {
        return "restoring the backup loses every change VM '" + vm + "' made to its disks since " + takenAt
                + " (and its memory: it boots from the backup)";
    }

    /** Runs the restore for job {@code restoreId}, created by the caller; returns normally in every case, the job says how it ended. */
    void run(String restoreId, MigrationRecord job, BackupRecord b, MigrationJournal journal) {
        AgentClient dest = agents.client(job.destHost());
        AgentClient src = agents.client(job.sourceHost());
        VmSpec restored = restoredSpec(b);
        VmSpec leaving = dest.show(job.vm()).spec();
        journal.phase("stop-destination");
        boolean wasRunning = dest.show(job.vm()).state() != dev.ferry.api.vm.VmState.SHUTOFF;
        if (wasRunning) dest.stop(job.vm(), new StopRequest(0, true));
        journal.event("info", "stopped '" + job.vm() + "' on " + job.destHost() + " (its definition and disks stay until the source runs it)");
        journal.phase("start-source");
        boolean defined = false;
        try {
            src.define(restored);
            defined = true;
            src.start(job.vm());
            journal.event("info", "started '" + job.vm() + "' on " + job.sourceHost() + " from backup " + b.id() + " (taken " + b.takenAt() + ")");
        } catch (RuntimeException e) {
            giveBack(restoreId, job, dest, src, defined, wasRunning, e, journal);
            return;
        }
        journal.phase("verify");
        String verified = awaitGuest(src, job.vm());
        journal.event("verify", verified);
        journal.phase("finish");
        dest.discard(job.vm(), true);
        List<String> left = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (DiskSpec d : leaving.disks()) {
            try {
                deleted.addAll(dest.discardImages(new DiscardImagesRequest(restoreId, List.of(d.path()))));
            } catch (FerryException e) {
                left.add(d.path() + " (" + e.getMessage() + ")");
            }
        }
        journal.event("info", "removed '" + job.vm() + "' from " + job.destHost() + "; deleted its images " + deleted
                + (left.isEmpty() ? "" : "; left for an operator (they hold the changes made since the backup): " + left));
        backups.update(b.id(), BackupRecord.RESTORED, null, "restored by " + restoreId + "; its images are the VM's disks now");
        vms.upsert(new VmRecord(job.vm(), job.sourceHost(), "running", write(restored), Instant.now()));
        store.finish(restoreId, "succeeded", null, null, null);
    }

    private void giveBack(String restoreId, MigrationRecord job, AgentClient dest, AgentClient src, boolean defined, boolean wasRunning,
                          RuntimeException cause, MigrationJournal journal) {
        journal.event("error", "the source could not run the backup: " + cause.getMessage());
        journal.phase("rollback");
        try {
            if (defined) src.discard(job.vm(), true);
            if (wasRunning) dest.start(job.vm());
            journal.event("cleanup", "'" + job.vm() + "' runs on " + job.destHost() + " again; nothing was restored");
            store.finish(restoreId, "failed", null, errorCode(cause), "restore failed, the VM runs on " + job.destHost() + " again: "
                    + cause.getMessage());
        } catch (RuntimeException e) {
            journal.event("error", "could not start '" + job.vm() + "' on " + job.destHost() + " again: " + e.getMessage());
            store.finish(restoreId, "failed", null, errorCode(cause), "restore failed and the VM could not be restarted on "
                    + job.destHost() + " (" + e.getMessage() + "); its disks there are untouched: start it with 'ferry vm start'");
        }
    }

    private static String awaitGuest(AgentClient src, String vm) {
        long deadline = System.nanoTime() + BOOT_WAIT.toNanos();
        Long first = null;
        GuestHealth h = src.guestHealth(vm);
        while (System.nanoTime() < deadline) {
            h = src.guestHealth(vm);
            if (!h.ok()) return "the guest reports a problem after the restore: " + h.lastLine();
            if (h.heartbeat() != null && first == null) first = h.heartbeat();
            if (first != null && h.heartbeat() > first) {
                return "the guest booted from the backup: heartbeat " + h.heartbeat() + (h.diskSeq() == null ? "" : ", disk records up to "
                        + h.diskSeq()) + ", self-checks OK";
            }
            sleep();
        }
        return "the guest printed no advancing heartbeat within " + BOOT_WAIT.toSeconds() + " s (last line: " + h.lastLine() + ")";
    }

    /** The VM's spec at backup time, with the backup's images as its disks. */
    static VmSpec restoredSpec(BackupRecord b) {
        try {
            VmSpec s = Json.mapper().readValue(b.specJson(), VmSpec.class);
            List<BackupView.BackupImage> images = Json.mapper().readValue(b.imagesJson(), new TypeReference<List<BackupView.BackupImage>>() {});
            List<DiskSpec> disks = new ArrayList<>();
            for (DiskSpec d : s.disks()) {
                BackupView.BackupImage img = images.stream().filter(i -> i.diskId().equals(d.id())).findFirst().orElseThrow(() ->
                        new FerryException(ErrorCode.INVALID_STATE, "backup " + b.id() + " has no copy of disk '" + d.id() + "'"));
                disks.add(new DiskSpec(d.id(), img.path(), DiskFormat.parse(img.format()), d.bus(),
                        d.cache()));
            }
            return s.withDisks(disks);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "backup " + b.id() + " is unreadable: " + e.getMessage());
        }
    }

    private static String errorCode(RuntimeException e) {
        return e instanceof FerryException fe ? fe.code().name() : ErrorCode.INTERNAL.name();
    }

    private static String write(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.MIGRATION_ABORTED, "the controller is shutting down");
        }
    }

    /** The original request of a job, for the way back. */
    static MigrationRequest request(MigrationRecord job) {
        try {
            return Json.mapper().readValue(job.paramsJson(), MigrationRequest.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "the request of migration " + job.id() + " is unreadable: " + e.getMessage());
        }
    }
}

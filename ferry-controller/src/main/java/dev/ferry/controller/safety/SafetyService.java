package dev.ferry.controller.safety;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.RollbackRequest;
import dev.ferry.api.safety.TestMigrationRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.migration.MigrationEngine;
import dev.ferry.controller.migration.StoreJournal;
import dev.ferry.controller.store.BackupRecord;
import dev.ferry.controller.store.BackupStore;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import dev.ferry.web.JsonBody;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's migration-safety feature: test migrations, rollbacks (back by migration, or to
 * the backup), the backups' retention, and the per-migration report. It registers its own routes
 * and owns the thread its jobs run on; migrations themselves run in the {@link MigrationEngine},
 * whose safety phases (backup, baseline, monitor) record what this serves.
 */
public final class SafetyService implements AutoCloseable {
    /** Job modes this feature runs itself (not migrations the reconciler may settle). */
    public static final Set<String> MODES = Set.of(TestMigration.MODE, "restore");
    private static final Logger LOG = LoggerFactory.getLogger(SafetyService.class);

    private final MigrationStore store;
    private final BackupStore backups;
    private final VmStore vms;
    private final AgentDirectory agents;
    private final HostRegistry registry;
    private final MigrationEngine engine;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "safety");
        t.setDaemon(true);
        return t;
    });
    private final TestMigration tests;
    private final RestoreFromBackup restores;

    public SafetyService(MigrationStore store, BackupStore backups, VmStore vms, AgentDirectory agents, HostRegistry registry,
                         MigrationEngine engine) {
        this.store = store;
        this.backups = backups;
        this.vms = vms;
        this.agents = agents;
        this.registry = registry;
        this.engine = engine;
        this.tests = new TestMigration(store, agents, pool, engine.assessor());
        this.restores = new RestoreFromBackup(store, backups, vms, agents);
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.post("/v1/migrations/test", ctx -> ctx.status(202).json(startTest(JsonBody.read(ctx, TestMigrationRequest.class))));
        r.post("/v1/migrations/{id}/rollback", ctx -> ctx.status(202).json(rollback(ctx.pathParam("id"),
                ctx.body().isBlank() ? new RollbackRequest(null, null) : JsonBody.read(ctx, RollbackRequest.class))));
        r.get("/v1/migrations/{id}/backup", ctx -> ctx.json(BackupViews.of(backupOf(ctx.pathParam("id")))));
        r.get("/v1/backups", ctx -> ctx.json(backups.list(ctx.queryParamAsClass("limit", Integer.class).getOrDefault(50)).stream()
                .map(BackupViews::of).toList()));
        r.get("/v1/migrations/{id}/report", ctx -> ctx.contentType("text/markdown; charset=utf-8").result(report(ctx.pathParam("id"))));
    }

    public MigrationView startTest(TestMigrationRequest req) {
        TestMigration.validate(req);
        agents.client(req.to());
        VmRecord vm = vms.find(req.vm()).orElseGet(() -> {
            registry.syncAll();
            return vms.find(req.vm()).orElseThrow(() ->
                    new FerryException(ErrorCode.VM_NOT_FOUND, "no VM named '" + req.vm() + "' runs on any registered host"));
        });
        return engine.view(tests.start(req, vm.host()));
    }

    /** Rolls migration {@code id} back: by migrating the VM back (default) or by restoring its backup. */
    public MigrationView rollback(String id, RollbackRequest req) {
        MigrationRecord job = record(id);
        if (MODES.contains(job.mode()) || !List.of(MigrationRequest.LIVE, MigrationRequest.WARM, MigrationRequest.COLD).contains(job.mode())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "job " + id + " is a " + job.mode() + " job, not a migration");
        }
        if (!job.finished()) {
            throw new FerryException(ErrorCode.INVALID_STATE, "migration " + id + " is still running; abort it instead ('ferry migration abort')");
        }
        boolean moved = "succeeded".equals(job.state()) || ErrorCode.VERIFICATION_FAILED.name().equals(job.errorCode());
        if (!moved) {
            throw new FerryException(ErrorCode.INVALID_STATE, "migration " + id + " ended " + job.state() + " (" + job.errorCode()
                    + "): the VM did not move, nothing to roll back");
        }
        VmRecord now = vms.find(job.vm()).orElse(null);
        if (now != null && !now.host().equals(job.destHost())) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + job.vm() + "' runs on " + now.host() + " now, not on "
                    + job.destHost() + " where migration " + id + " left it");
        }
        return req.isToBackup() ? restore(job, req) : migrateBack(job);
    }

    private MigrationView migrateBack(MigrationRecord job) {
        MigrationBack.prepare(agents.client(job.destHost()), job.destHost(), job.vm(), new StoreJournal(job.id(), store));
        MigrationView back = engine.start(MigrationBack.request(RestoreFromBackup.request(job), job.sourceHost()));
        store.addEvent(job.id(), "rollback", "rolled back by migration " + back.id() + " (" + job.destHost() + " -> " + job.sourceHost() + ")", null);
        store.addEvent(back.id(), "rollback", "migrates '" + job.vm() + "' back: rollback of migration " + job.id(), null);
        return back;
    }

    private MigrationView restore(MigrationRecord job, RollbackRequest req) {
        BackupRecord b = restores.check(job, req.isConfirmed());
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        store.create(new MigrationRecord(id, job.vm(), job.destHost(), job.sourceHost(), "restore", "running", "queued", job.paramsJson(),
                null, null, null, null, false, now, now, null));
        store.addEvent(id, "rollback", "restores backup " + b.id() + " of migration " + job.id() + ": "
                + RestoreFromBackup.lossWarning(job.vm(), b.takenAt()), null);
        store.addEvent(job.id(), "rollback", "rolled back to backup " + b.id() + " by job " + id, null);
        StoreJournal journal = new StoreJournal(id, store);
        pool.submit(() -> {
            try {
                restores.run(id, job, b, journal);
            } catch (RuntimeException e) {
                LOG.warn("restore {} failed", id, e);
                journal.event("error", e.getMessage());
                store.finish(id, "failed", null, e instanceof FerryException fe ? fe.code().name() : ErrorCode.INTERNAL.name(), e.getMessage());
            } finally {
                registry.sync(job.sourceHost());
                registry.sync(job.destHost());
            }
        });
        return engine.view(id);
    }

    /** Deletes the retained backups whose retention has passed; returns how many. Called periodically. */
    public int sweep(Instant now) {
        int n = 0;
        for (BackupRecord b : backups.expired(now)) {
            try {
                List<String> paths = BackupViews.of(b).images().stream().map(i -> i.path()).toList();
                List<String> deleted = StorageClient.of(agents.client(b.host())).deleteImages(new DeleteImagesRequest(paths));
                backups.update(b.id(), BackupRecord.DELETED, b.keepUntil(), "retention ended; deleted " + deleted);
                store.addEvent(b.migrationId(), "backup", "backup " + b.id() + " deleted after its retention: " + deleted, null);
                n++;
            } catch (RuntimeException e) {
                LOG.warn("cannot delete backup {} on {} yet: {}", b.id(), b.host(), e.getMessage());
            }
        }
        return n;
    }

    public String report(String id) {
        MigrationView v = engine.view(id);
        MigrationRecord r = record(id);
        MigrationRequest req = r.paramsJson() == null ? null : RestoreFromBackup.request(r);
        return ReportRenderer.render(v, req, backups.forMigration(id).map(BackupViews::of).orElse(null));
    }

    /** Ends the test and restore jobs a previous controller left running: their helpers' state died with it. */
    public void failLeftovers(List<MigrationRecord> unfinished) {
        for (MigrationRecord r : unfinished) {
            if (!MODES.contains(r.mode())) continue;
            store.addEvent(r.id(), "error", "the controller restarted during this " + r.mode() + " job; check both hosts for leftovers"
                    + (r.mode().equals(TestMigration.MODE) ? " (a VM named " + r.vm() + "-test-...)" : ""), null);
            store.finish(r.id(), "failed", null, ErrorCode.INTERNAL.name(), "the controller restarted during the " + r.mode() + " job");
        }
    }

    private BackupRecord backupOf(String id) {
        record(id);
        return backups.forMigration(id).orElseThrow(() -> new FerryException(ErrorCode.BACKUP_NOT_FOUND, "migration " + id + " took no backup"));
    }

    private MigrationRecord record(String id) {
        return store.find(id).orElseThrow(() -> new FerryException(ErrorCode.MIGRATION_NOT_FOUND, "no migration with id " + id));
    }

    @Override
    public void close() { pool.shutdownNow(); }
}

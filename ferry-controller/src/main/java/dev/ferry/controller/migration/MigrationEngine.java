package dev.ferry.controller.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.controller.assess.Assessor;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.migration.phase.BackupPhase;
import dev.ferry.controller.migration.phase.BaselinePhase;
import dev.ferry.controller.migration.phase.CompleteMirrorPhase;
import dev.ferry.controller.migration.phase.MonitorPhase;
import dev.ferry.controller.migration.phase.FinishPhase;
import dev.ferry.controller.migration.phase.MirrorDisksPhase;
import dev.ferry.controller.migration.phase.PrepareTargetDisksPhase;
import dev.ferry.controller.migration.phase.RemoveSourceDisksPhase;
import dev.ferry.controller.migration.phase.PrepareDestinationPhase;
import dev.ferry.controller.migration.phase.SwitchoverPhase;
import dev.ferry.controller.migration.phase.TransferPhase;
import dev.ferry.controller.migration.phase.ValidatePhase;
import dev.ferry.controller.migration.phase.VerifyPhase;
import dev.ferry.controller.safety.MigrationBack;
import dev.ferry.controller.safety.SafetySettings;
import dev.ferry.controller.store.BackupStore;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Accepts migration requests, turns each into a persisted job and runs it on its own thread
 * through the phases validate, prepare-destination, transfer, switchover, verify, finish. The
 * job's database row is the VM's lock: the store refuses a second unfinished job for the same VM,
 * so the refusal holds across threads and controller restarts. Abort flags the job; phases check
 * the flag between steps and the transfer phase cancels QEMU's stream. A job whose rollback could
 * not complete (an agent did not answer) is not ended here but left to the {@link Reconciler},
 * which settles it from what both agents report once they answer.
 */
public final class MigrationEngine implements AutoCloseable {
    private final MigrationStore store;
    private final VmStore vms;
    private final AgentDirectory agents;
    private final HostRegistry registry;
    private final MigrationMetrics metrics;
    private final Reconciler reconciler;
    private final Assessor assessor;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "migration");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicBoolean> aborts = new ConcurrentHashMap<>();
    private final SafetySettings safety;
    private final BackupStore backups;

    /**
     * {@code reconciler} settles the jobs whose rollback could not complete; {@code assessor} is
     * what every validate phase asks whether the move may happen.
     */
    public MigrationEngine(MigrationStore store, VmStore vms, AgentDirectory agents, HostRegistry registry, MigrationMetrics metrics,
                           Reconciler reconciler, Assessor assessor) {
        this(store, vms, agents, registry, metrics, reconciler, assessor, SafetySettings.DEFAULT, null);
    }

    /** With the safety settings and the store of pre-migration backups (null: backups are refused). */
    public MigrationEngine(MigrationStore store, VmStore vms, AgentDirectory agents, HostRegistry registry, MigrationMetrics metrics,
                           Reconciler reconciler, Assessor assessor, SafetySettings safety, BackupStore backups) {
        this.assessor = assessor;
        this.safety = safety == null ? SafetySettings.DEFAULT : safety;
        this.backups = backups;
        this.store = store;
        this.vms = vms;
        this.agents = agents;
        this.registry = registry;
        this.metrics = metrics;
        this.reconciler = reconciler;
    }

    public MigrationView start(MigrationRequest req) {
        validate(req);
        requireBackupStore(req);
        agents.client(req.to());
        // Refused at once, before a job exists; the validate phase's assessment checks it again.
        if (assessor.inMaintenance(req.to())) {
            throw new FerryException(ErrorCode.HOST_IN_MAINTENANCE, req.to() + " is in maintenance and takes no incoming migrations;"
                    + " '" + req.vm() + "' is not moved (ferry host maintenance off " + req.to() + " ends it)");
        }
        VmRecord vm = vms.find(req.vm()).orElseGet(() -> {
            registry.syncAll();
            return vms.find(req.vm()).orElseThrow(() ->
                    new FerryException(ErrorCode.VM_NOT_FOUND, "no VM named '" + req.vm() + "' runs on any registered host"));
        });
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        MigrationRecord rec = store.create(new MigrationRecord(id, req.vm(), vm.host(), req.to(), req.modeOrDefault(), "running", "queued",
                MigrationViews.write(req), null, null, null, null, false, now, now, null));
        store.addEvent(id, "info", "VM '" + req.vm() + "' locked for migration " + vm.host() + " -> " + req.to(), null);
        AtomicBoolean abort = new AtomicBoolean();
        aborts.put(id, abort);
        metrics.started();
        MigrationContext ctx = new MigrationContext(id, req, vm.host(), agents.client(vm.host()), agents.client(req.to()),
                abort::get, new StoreJournal(id, store));
        ctx.assessor(assessor);
        ctx.safety().configure(safety, backups);
        pool.submit(() -> execute(ctx));
        return view(rec.id());
    }

    /** What every migration's validation asks (test migrations assess through it too). */
    public Assessor assessor() { return assessor; }

    public MigrationView abort(String id) {
        MigrationRecord r = record(id);
        if (r.finishedAt() != null) {
            throw new FerryException(ErrorCode.INVALID_STATE, "migration " + id + " has already ended (" + r.state() + ")");
        }
        store.requestAbort(id);
        AtomicBoolean flag = aborts.get(id);
        if (flag != null) flag.set(true);
        store.addEvent(id, "info", "abort requested", null);
        return view(id);
    }

    /**
     * Re-sets the running migration's bandwidth cap (QEMU's max-bandwidth) on its source, e.g. when a
     * plan shares a link among more or fewer migrations. Only max-bandwidth changes: the live
     * steering's downtime and throttle decisions are left alone. Returns false when the job has
     * ended or is not transferring memory (before or after its transfer there is no stream to cap).
     * The cap goes through the one bandwidth rule ({@link StreamBandwidth#capped}).
     */
    public boolean setBandwidth(String id, long bytesPerSec) {
        MigrationRecord r = record(id);
        if (r.finishedAt() != null || MigrationRequest.COLD.equals(r.mode())) return false;
        try {
            long cap = StreamBandwidth.capped(bytesPerSec).maxBandwidthBytes();
            agents.client(r.sourceHost()).tuneMigration(r.vm(), new dev.ferry.api.migration.MigrationTuning(null, cap, Map.of()));
            store.addEvent(id, "info", "bandwidth cap set to " + (bytesPerSec >> 20) + " MiB/s (the link is shared)", null);
            return true;
        } catch (FerryException e) {
            return false;
        }
    }

    public MigrationView view(String id) {
        List<MigrationEvent> events = store.events(id).stream()
                .map(e -> new MigrationEvent(e.at(), e.kind(), e.message())).toList();
        return MigrationViews.of(record(id), events);
    }

    public List<MigrationView> list(int limit) {
        return store.list(limit).stream().map(r -> MigrationViews.of(r, null)).toList();
    }

    private void execute(MigrationContext ctx) {
        long t0 = System.nanoTime();
        MigrationRunner.Outcome out = new MigrationRunner(phases(ctx.request())).run(ctx);
        // A failed post-migration check leaves the VM where it runs (the destination): the move itself
        // completed, so the job keeps its result and checklist and ends VERIFICATION_FAILED.
        boolean checkFailed = out.succeeded() && ctx.safety().failed();
        MigrationResult result = out.succeeded() ? withChecks(result(ctx), ctx) : null;
        String state = checkFailed ? "failed" : out.succeeded() ? "succeeded"
                : out.error().code() == ErrorCode.MIGRATION_ABORTED ? "aborted" : "failed";
        if (out.succeeded()) {
            vms.upsert(new VmRecord(ctx.vm(), ctx.destinationHost(), "running", MigrationViews.write(ctx.spec()), Instant.now()));
        }
        if (!out.succeeded() && !out.cleanedUp()) {
            // Where the guest is now is not known for sure (an agent did not answer while rolling back):
            // the job stays unfinished, so the VM stays locked, until reconciliation settles it from
            // what both agents report.
            store.addEvent(ctx.id(), "warning", "the rollback did not complete; the job is left to reconciliation", null);
            store.find(ctx.id()).ifPresent(reconciler::adopt);
            state = "unsettled";
        } else if (checkFailed) {
            String failed = ctx.safety().failedChecks().stream().map(c -> c.check() + " (" + c.detail() + ")").toList().toString();
            store.finish(ctx.id(), state, MigrationViews.write(result), ErrorCode.VERIFICATION_FAILED.name(),
                    "post-migration check(s) failed on " + ctx.destinationHost() + ": " + failed + "; the VM stays on " + ctx.destinationHost());
        } else {
            store.finish(ctx.id(), state, MigrationViews.write(result),
                    out.succeeded() ? null : out.error().code().name(), out.succeeded() ? null : out.error().getMessage());
        }
        aborts.remove(ctx.id());
        metrics.finished(ctx.vm(), ctx.sourceHost(), ctx.destinationHost(), state, Duration.ofNanos(System.nanoTime() - t0), result);
        registry.sync(ctx.sourceHost());
        registry.sync(ctx.destinationHost());
        if (checkFailed && ctx.request().rollsBackOnFailedCheck()) rollBackAfterFailedCheck(ctx);
    }

    /** rollbackOnFailedCheck: migrate the VM back to its source as a new job; if that cannot start, it stays where it runs. */
    private void rollBackAfterFailedCheck(MigrationContext ctx) {
        try {
            MigrationBack.prepare(ctx.destination(), ctx.destinationHost(), ctx.vm(), ctx.journal());
            MigrationView back = start(MigrationBack.request(ctx.request(), ctx.sourceHost()));
            store.addEvent(ctx.id(), "rollback", "rollbackOnFailedCheck: migration " + back.id() + " moves '" + ctx.vm() + "' back to "
                    + ctx.sourceHost(), null);
            store.addEvent(back.id(), "rollback", "migrates '" + ctx.vm() + "' back after migration " + ctx.id()
                    + " failed its post-migration checks", null);
        } catch (RuntimeException e) {
            store.addEvent(ctx.id(), "error", "the automatic rollback could not start: " + e.getMessage() + "; '" + ctx.vm()
                    + "' stays on " + ctx.destinationHost(), null);
        }
    }

    private static MigrationResult withChecks(MigrationResult r, MigrationContext ctx) {
        return r == null || !ctx.safety().ranChecks() ? r : r.withChecks(ctx.safety().checks());
    }

    /** The controller's defaults for the safety phases. */
    public SafetySettings safety() { return safety; }

    /** The phases of a migration in the requested mode: live, warm or cold ({@link MigrationModePhases}). */
    static List<Phase> phases(MigrationRequest req) { return MigrationModePhases.of(req, phases()); }

    static List<Phase> phases() {
        // The storage phases apply only when validation planned to copy local disks along.
        return List.of(new ValidatePhase(), new BackupPhase(), new BaselinePhase(), new PrepareTargetDisksPhase(), new PrepareDestinationPhase(), new MirrorDisksPhase(),
                new TransferPhase(), new CompleteMirrorPhase(), new SwitchoverPhase(), new VerifyPhase(), new FinishPhase(),
                new RemoveSourceDisksPhase(), new MonitorPhase());
    }

    private static MigrationResult result(MigrationContext ctx) {
        if (MigrationRequest.COLD.equals(ctx.request().modeOrDefault())) return ModeResults.cold(ctx);
        MigrationStats s = ctx.lastStats();
        Long before = ctx.sourceHealth() == null ? null : ctx.sourceHealth().heartbeat();
        Long after = ctx.destinationHealth() == null ? null : ctx.destinationHealth().heartbeat();
        return ModeResults.withMode(ctx, new MigrationResult(s.totalTimeMs(), s.downtimeMs(),
                HeartbeatGap.of(ctx.sourceHealth(), ctx.destinationHealth()), s.transferredBytes(), s.iterations(), before, after));
    }

    private static void validate(MigrationRequest req) {
        if (req.vm() == null || !SpecValidator.NAME.matcher(req.vm()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "vm is missing or not a valid VM name");
        }
        if (req.to() == null || req.to().isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "to (destination host) is required");
        if (req.maxDowntimeMs() != null && (req.maxDowntimeMs() < 1 || req.maxDowntimeMs() > 60_000)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "max downtime must be between 1 and 60000 ms");
        }
        if (req.bandwidthMiBps() != null && req.bandwidthMiBps() < 1) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "bandwidth must be at least 1 MiB/s");
        }
        MigrationModePhases.validate(req);
    }

    private void requireBackupStore(MigrationRequest req) {
        if (req.wantsBackup() && backups == null) {
            throw new FerryException(ErrorCode.INVALID_STATE, "this controller keeps no backup records; --backup is not available");
        }
    }

    private MigrationRecord record(String id) {
        return store.find(id).orElseThrow(() -> new FerryException(ErrorCode.MIGRATION_NOT_FOUND, "no migration with id " + id));
    }

    @Override
    public void close() { pool.shutdownNow(); }
}

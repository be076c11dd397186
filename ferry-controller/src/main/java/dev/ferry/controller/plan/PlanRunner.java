package dev.ferry.controller.plan;

import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.plan.PlanScheduler.State;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.PlanItemRecord;
import dev.ferry.controller.store.PlanRecord;
import dev.ferry.controller.store.PlanStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one plan: each {@link #tick} follows the running migrations to their end (recording
 * measured figures), asks the {@link PlanScheduler} what to start or skip, starts migrations
 * through the engine, and re-sets QEMU's max-bandwidth so the migrations sharing a link share it
 * fairly. A job whose phase is past its transfer ({@link #PAST_TRANSFER}) is reported to the
 * scheduler, which frees its slots for the next move while the job verifies and monitors. Every change is written to the store before the next step, so a controller killed at
 * any point resumes from the rows: an item whose job exists is followed, never started again, and
 * a pending item whose VM already has an unfinished job is adopted, not migrated a second time,
 * and one whose VM already runs on its destination counts as done.
 */
public final class PlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);

    private final String planId;
    private final PlanStore store;
    private final Migrations migrations;
    private final MovePredictor predictor;
    private final Clock clock;
    private final PlanScheduler scheduler;
    /**
     * The engine's phases that run after the guest switched over (live, warm) or its disks were
     * copied (cold): a job in one of them no longer uses its link, and frees its plan slots.
     */
    static final java.util.Set<String> PAST_TRANSFER = java.util.Set.of("verify", "finish", "monitor", "remove-source-disks");
    private final Map<Integer, PlanItemRecord> items = new HashMap<>();
    private final Map<Integer, Long> bandwidthSet = new HashMap<>();
    private boolean finished;

    PlanRunner(PlanRecord plan, PlanDefinition def, List<PlanItemRecord> rows, PlanStore store, Migrations migrations,
               MovePredictor predictor, Clock clock) {
        this.planId = plan.id();
        this.store = store;
        this.migrations = migrations;
        this.predictor = predictor;
        this.clock = clock;
        List<PlanScheduler.Move> moves = rows.stream().map(r -> new PlanScheduler.Move(r.seq(), r.vm(), r.source(), r.destination(), r.wave(),
                def.items().stream().filter(i -> i.vm().equals(r.vm())).findFirst().map(PlanDefinition.Item::dependsOn).orElse(List.of()),
                MovePredictor.jobMs(r.predicted(), r.mode()), PlanViews.check(r).transferMsBySharing())).toList();
        this.scheduler = new PlanScheduler(moves, def.limits(), def.windowStart(), def.windowEnd(), def.onFailure());
        for (PlanItemRecord r : rows) {
            items.put(r.seq(), r);
            State s = State.of(r.state());
            if (s != State.PENDING) scheduler.restore(r.seq(), s, r.error());
        }
        if ("paused".equals(plan.state())) scheduler.pause();
        adoptOrphans();
    }

    public String planId() { return planId; }

    public synchronized boolean finished() { return finished; }

    public synchronized void pause() {
        scheduler.pause();
        store.updatePlan(planId, "paused", null, null, null);
    }

    public synchronized void resume() {
        scheduler.resume();
        store.updatePlan(planId, "running", null, null, null);
    }

    /** Starts nothing more and aborts every running migration of the plan. */
    public synchronized void abort() {
        scheduler.abort();
        for (PlanItemRecord r : items.values()) {
            String job = runningJob(r);
            if (job == null) continue;
            try {
                migrations.abort(job);
            } catch (FerryException e) {
                LOG.info("plan {}: migration {} of {} could not be aborted: {}", planId, job, r.vm(), e.getMessage());
            }
        }
        tick();
    }

    /** One step; returns true once the plan has ended. */
    public synchronized boolean tick() {
        if (finished) return true;
        boolean changed = follow();
        PlanScheduler.Decision d = scheduler.next(clock.instant());
        for (PlanScheduler.Skip k : d.skips()) save(items.get(k.seq()).withState(State.SKIPPED.label(), k.reason()));
        for (PlanScheduler.Start s : d.starts()) start(s);
        if (changed || !d.isEmpty()) shareBandwidth();
        if (scheduler.done()) {
            String outcome = scheduler.outcome();
            store.updatePlan(planId, outcome, scheduler.firstFailure() == null ? null : "failed: " + scheduler.firstFailure(), null,
                    clock.instant());
            finished = true;
            LOG.info("plan {} ended: {}", planId, outcome);
        }
        return finished;
    }

    /** Follows every started migration; an ended one ends its item. Returns true when one ended. */
    private boolean follow() {
        boolean changed = false;
        for (PlanItemRecord r : List.copyOf(items.values())) {
            String job = runningJob(r);
            if (job == null) continue;
            MigrationView v;
            try {
                v = migrations.view(job);
            } catch (FerryException e) {
                continue; // the database hiccuped; the next tick asks again
            }
            if (!v.isFinished()) {
                if (scheduler.inTransfer(r.seq()) && v.phase() != null && PAST_TRANSFER.contains(v.phase())) {
                    scheduler.transferEnded(r.seq());
                    changed = true;
                }
                continue;
            }
            boolean ok = "succeeded".equals(v.state());
            boolean rollback = State.of(r.state()) == State.ROLLING_BACK;
            String error = ok ? null : v.state() + (v.errorMessage() == null ? "" : ": " + v.errorMessage());
            scheduler.finished(r.seq(), ok, error);
            PlanItemRecord next = r.withState(scheduler.state(r.seq()).label(),
                    ok ? (rollback ? "moved back to " + r.source() + " after the plan failed" : null) : (rollback ? "rollback " : "") + error);
            if (!rollback) next = next.withMeasured(measured(v.result()));
            save(next);
            bandwidthSet.remove(r.seq());
            changed = true;
        }
        return changed;
    }

    private void start(PlanScheduler.Start s) {
        PlanItemRecord r = items.get(s.seq());
        MigrationRequest base = PlanJson.read(r.requestJson(), MigrationRequest.class);
        String from = s.rollback() ? r.destination() : r.source();
        String to = s.rollback() ? r.source() : r.destination();
        MigrationRequest req = withBandwidth(base.withDestination(to), from, to, scheduler.sharing(s.seq()));
        try {
            MigrationView v = migrations.start(req);
            PlanItemRecord next = s.rollback() ? r.withRollbackMigration(v.id()) : r.withMigration(v.id());
            save(next.withState((s.rollback() ? State.ROLLING_BACK : State.RUNNING).label(), null));
            LOG.info("plan {}: {} {} -> {} started as migration {}", planId, r.vm(), from, to, v.id());
        } catch (FerryException e) {
            scheduler.finished(s.seq(), false, e.getMessage());
            save(r.withState(scheduler.state(s.seq()).label(), (s.rollback() ? "rollback not started: " : "not started: ") + e.getMessage()));
        }
    }

    /** The request with a bandwidth cap of its fair share of the link (for the moves that stream memory). */
    private MigrationRequest withBandwidth(MigrationRequest req, String from, String to, int sharing) {
        if (MigrationRequest.COLD.equals(req.modeOrDefault())) return req;
        long share = predictor.linkBytesPerSec(from, to, req) / Math.max(1, sharing);
        int mib = (int) Math.max(1, share >> 20);
        return new MigrationRequest(req.vm(), req.to(), req.maxDowntimeMs(), mib, req.insecure(), req.mode(), req.allowPostcopy(),
                req.allowThrottle(), req.maxDurationSeconds(), req.keepSource(), req.storage(), req.backup(), req.monitorSeconds(),
                req.rollbackOnFailedCheck());
    }

    /** Every running migration capped at its link's bandwidth divided by the migrations on that link. */
    private void shareBandwidth() {
        for (PlanItemRecord r : items.values()) {
            String job = runningJob(r);
            if (job == null || MigrationRequest.COLD.equals(r.mode())) continue;
            String[] ends = scheduler.ends(r.seq());
            MigrationRequest req = PlanJson.read(r.requestJson(), MigrationRequest.class);
            long share = Math.max(1L << 20, predictor.linkBytesPerSec(ends[0], ends[1], req) / Math.max(1, scheduler.sharing(r.seq())));
            Long was = bandwidthSet.get(r.seq());
            if (was != null && was == share) continue;
            if (migrations.setBandwidth(job, share)) bandwidthSet.put(r.seq(), share);
            else if (was == null) bandwidthSet.put(r.seq(), share); // started with this share as its cap
        }
    }

    /**
     * A pending item whose VM has an unfinished job towards the item's destination was started by a
     * controller that died before recording it: the job is adopted and followed, never started twice.
     */
    private void adoptOrphans() {
        for (PlanItemRecord r : List.copyOf(items.values())) {
            if (State.of(r.state()) != State.PENDING) continue;
            Optional<MigrationRecord> job = migrations.active(r.vm());
            if (job.isEmpty()) {
                if (migrations.hostOf(r.vm()).filter(r.destination()::equals).isPresent()) {
                    scheduler.restore(r.seq(), State.SUCCEEDED, null);
                    save(r.withState(State.SUCCEEDED.label(), "found on " + r.destination() + " already when the plan resumed"));
                }
                continue;
            }
            boolean ours = job.get().destHost().equals(r.destination());
            if (ours) {
                scheduler.restore(r.seq(), State.RUNNING, null);
                save(r.withMigration(job.get().id()).withState(State.RUNNING.label(), null));
            }
        }
    }

    private String runningJob(PlanItemRecord r) {
        State s = State.of(r.state());
        if (s == State.RUNNING) return r.migrationId();
        if (s == State.ROLLING_BACK) return r.rollbackMigrationId();
        return null;
    }

    private void save(PlanItemRecord r) {
        store.updateItem(r);
        items.put(r.seq(), r);
    }

    static PlanItemRecord.Figures measured(MigrationResult r) {
        if (r == null) return PlanItemRecord.Figures.NONE;
        Long down = r.downtimeMs() != null ? r.downtimeMs() : r.pausedMs();
        return new PlanItemRecord.Figures(r.totalTimeMs(), down, r.transferredBytes() + (r.diskBytes() == null ? 0 : r.diskBytes()));
    }
}

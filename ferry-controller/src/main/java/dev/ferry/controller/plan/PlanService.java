package dev.ferry.controller.plan;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.store.PlanItemRecord;
import dev.ferry.controller.store.PlanRecord;
import dev.ferry.controller.store.PlanStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plans of one controller: creates them (parse, validate, store), runs, pauses, resumes and
 * aborts them, and on start resumes the plans a previous controller left running. Running plans
 * are advanced by one background thread that ticks each {@link PlanRunner} every
 * {@code tickMs}; the runners' state is in the database, so a new controller picks up where the
 * old one stopped.
 */
public final class PlanService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlanService.class);

    private final PlanStore store;
    private final PlanValidator validator;
    private final Migrations migrations;
    private final MovePredictor predictor;
    private final Clock clock;
    private final Map<String, PlanRunner> runners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plan-runner");
        t.setDaemon(true);
        return t;
    });

    public PlanService(PlanStore store, PlanValidator validator, Migrations migrations, MovePredictor predictor, Clock clock, long tickMs) {
        this.store = store;
        this.validator = validator;
        this.migrations = migrations;
        this.predictor = predictor;
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::tickAll, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    /** Parses and checks a document without storing anything: state "valid" or "refused", with every finding. */
    public PlanView validate(String yaml) {
        return PlanViews.checked(validator.validate(PlanDocuments.parse(yaml), clock.instant()));
    }

    /** Checks a definition built in code (an evacuation's dry run) without storing anything. */
    public PlanView validateDefinition(PlanDefinition def) { return PlanViews.checked(validator.validate(def, clock.instant())); }

    /** Parses, checks and stores a plan (state validated); a plan with blockers is refused with each VM's blockers. */
    public PlanView create(String yaml) { return create(PlanDocuments.parse(yaml)); }

    public PlanView create(PlanDefinition def) {
        PlanValidator.Result r = validator.validate(def, clock.instant());
        if (!r.movable()) throw new FerryException(ErrorCode.ASSESSMENT_BLOCKED, PlanViews.refusal(r));
        String id = UUID.randomUUID().toString();
        PlanRecord plan = new PlanRecord(id, def.name(), "validated", def.onFailure().label(), PlanJson.write(def),
                PlanJson.write(PlanViews.findings(r)), r.etaMs(), null, clock.instant(), null, null);
        List<PlanItemRecord> items = new ArrayList<>();
        for (PlanValidator.Checked c : r.items()) {
            items.add(new PlanItemRecord(id, c.seq(), c.item().vm(), c.source(), c.destination(), c.item().wave(),
                    c.item().request().modeOrDefault(), PlanScheduler.State.PENDING.label(),
                    PlanJson.write(c.item().request().withDestination(c.destination())),
                    PlanJson.write(new PlanViews.ItemCheck(c.assessment(), c.basis(), c.transferMsBySharing())), null, null, c.predicted(),
                    PlanItemRecord.Figures.NONE, null));
        }
        store.create(plan, items);
        LOG.info("plan {} '{}' validated: {} VMs, predicted {} ms", id, def.name(), items.size(), r.etaMs());
        return view(id);
    }

    public PlanView view(String id) { return PlanViews.of(record(id), store.items(id)); }

    public List<PlanView> list() { return store.list().stream().map(p -> PlanViews.of(p, store.items(p.id()))).toList(); }

    public synchronized PlanView run(String id) {
        PlanRecord p = record(id);
        if (!"validated".equals(p.state())) {
            throw new FerryException(ErrorCode.INVALID_STATE, "plan " + id + " is " + p.state() + "; only a validated plan can be run");
        }
        store.updatePlan(id, "running", null, clock.instant(), null);
        runners.put(id, runner(record(id)));
        return view(id);
    }

    public synchronized PlanView pause(String id) {
        runnerIn(id, "running", "paused").pause();
        return view(id);
    }

    public synchronized PlanView resume(String id) {
        runnerIn(id, "paused", "resumed").resume();
        return view(id);
    }

    public synchronized PlanView abort(String id) {
        PlanRecord p = record(id);
        if ("validated".equals(p.state())) {
            store.updatePlan(id, "running", null, clock.instant(), null);
            runners.put(id, runner(record(id)));
        }
        PlanRunner r = runners.get(id);
        if (r == null) throw new FerryException(ErrorCode.INVALID_STATE, "plan " + id + " has already ended (" + p.state() + ")");
        r.abort();
        if (r.finished()) runners.remove(id);
        return view(id);
    }

    /** Resumes every plan a previous controller left running or paused. */
    public synchronized void resumeUnfinished() {
        for (String state : List.of("running", "paused")) {
            for (PlanRecord p : store.inState(state)) {
                if (runners.containsKey(p.id())) continue;
                LOG.info("resuming {} plan {} '{}'", state, p.id(), p.name());
                runners.put(p.id(), runner(p));
            }
        }
    }

    PlanDefinition definition(String id) { return PlanJson.read(record(id).definitionJson(), PlanDefinition.class); }

    private PlanRunner runner(PlanRecord p) {
        return new PlanRunner(p, PlanJson.read(p.definitionJson(), PlanDefinition.class), store.items(p.id()), store, migrations, predictor,
                clock);
    }

    private PlanRunner runnerIn(String id, String state, String verb) {
        PlanRecord p = record(id);
        PlanRunner r = runners.get(id);
        if (!state.equals(p.state()) || r == null) {
            throw new FerryException(ErrorCode.INVALID_STATE, "plan " + id + " is " + p.state() + "; only a " + state + " plan can be " + verb);
        }
        return r;
    }

    /** Advances every running plan by one step (the background thread calls it; tests may too). */
    void tickAll() {
        for (PlanRunner r : List.copyOf(runners.values())) {
            try {
                if (r.tick()) runners.remove(r.planId());
            } catch (RuntimeException e) {
                LOG.warn("plan {}: step failed, retried on the next tick: {}", r.planId(), e.toString());
            }
        }
    }

    private PlanRecord record(String id) {
        return store.find(id).orElseThrow(() -> new FerryException(ErrorCode.PLAN_NOT_FOUND, "no plan with id " + id));
    }

    @Override
    public void close() { ticker.shutdownNow(); }
}

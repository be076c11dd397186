package dev.ferry.controller.safety;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.TestMigrationRequest;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.StoreJournal;
import dev.ferry.controller.migration.phase.CopyDisksPhase;
import dev.ferry.controller.migration.phase.TestBootPhase;
import dev.ferry.controller.migration.phase.TestClonePhase;
import dev.ferry.controller.migration.phase.TestVerifyPhase;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import dev.ferry.controller.assess.Assessor;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Runs test migrations: clone (point in time, on the source), copy the clone's unshared disks with
 * the cold migration's {@link CopyDisksPhase}, boot it isolated on the destination, verify, then
 * tear everything down, whether the test passed or not: the cleanups of every phase that started,
 * newest first (the clone on the destination, its copied images, the clone and its images on the
 * source), and a last check that neither host still knows the clone. The job is a migration record
 * of mode {@code test} (so it shows in {@code ferry migration list/show}); its row also locks the VM
 * against a real migration while the test runs. The VM itself is never touched.
 */
final class TestMigration {
    static final String MODE = "test";

    private final MigrationStore store;
    private final AgentDirectory agents;
    private final ExecutorService pool;
    private final Assessor assessor;

    TestMigration(MigrationStore store, AgentDirectory agents, ExecutorService pool, Assessor assessor) {
        this.store = store;
        this.agents = agents;
        this.pool = pool;
        this.assessor = assessor;
    }

    String start(TestMigrationRequest req, String sourceHost) {
        String id = UUID.randomUUID().toString();
        String clone = cloneName(req.vm(), id);
        MigrationRequest inner = new MigrationRequest(clone, req.to(), null, null, null);
        MigrationRequest shown = new MigrationRequest(req.vm(), req.to(), null, null, null, MODE, null, null, null, null, null);
        Instant now = Instant.now();
        store.create(new MigrationRecord(id, req.vm(), sourceHost, req.to(), MODE, "running", "queued", write(shown), null, null, null,
                null, false, now, now, null));
        store.addEvent(id, "info", "test migration of '" + req.vm() + "' " + sourceHost + " -> " + req.to() + " as clone '" + clone
                + "'; the VM itself keeps running on " + sourceHost, null);
        MigrationContext ctx = new MigrationContext(id, inner, sourceHost, agents.client(sourceHost), agents.client(req.to()), () -> false,
                new StoreJournal(id, store));
        ctx.assessor(assessor);
        pool.submit(() -> run(ctx, req.vm()));
        return id;
    }

    static void validate(TestMigrationRequest req) {
        if (req == null || req.vm() == null || !SpecValidator.NAME.matcher(req.vm()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "vm is missing or not a valid VM name");
        }
        if (req.to() == null || req.to().isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "to (destination host) is required");
    }

    static String cloneName(String vm, String id) {
        String base = vm.length() > 40 ? vm.substring(0, 40) : vm;
        return base + "-test-" + id.replace("-", "").substring(0, 8);
    }

    private void run(MigrationContext ctx, String original) {
        List<Phase> phases = List.of(new TestClonePhase(original), new CopyDisksPhase(), new TestBootPhase(), new TestVerifyPhase());
        Deque<Phase> started = new ArrayDeque<>();
        FerryException error = null;
        long t0 = System.nanoTime();
        try {
            for (Phase p : phases) {
                if (!p.appliesTo(ctx)) continue;
                ctx.journal().phase(p.name());
                started.push(p);
                p.run(ctx);
            }
        } catch (RuntimeException e) {
            error = e instanceof FerryException fe ? fe : new FerryException(ErrorCode.INTERNAL, "unexpected error: " + e, e);
            ctx.journal().event("error", error.getMessage());
        }
        ctx.journal().phase("teardown");
        List<String> problems = new ArrayList<>();
        for (Phase p : started) {
            try {
                p.cleanup(ctx);
            } catch (RuntimeException e) {
                problems.add(p.name() + ": " + e.getMessage());
                ctx.journal().event("error", "teardown of " + p.name() + " failed: " + e.getMessage());
            }
        }
        List<Check> checks = new ArrayList<>(ctx.safety().checks());
        checks.add(TestTeardown.check(ctx, problems));
        ctx.journal().event("check", (checks.get(checks.size() - 1).ok() ? "OK " : "FAILED ") + checks.get(checks.size() - 1).check()
                + ": " + checks.get(checks.size() - 1).detail());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        MigrationResult result = new MigrationResult(ms, null, null, ctx.modes().copiedBytes(), 0, null, null, MODE, null, null, null,
                null, ctx.modes().copiedBytes(), null, checks);
        boolean checksOk = checks.stream().allMatch(Check::ok);
        if (error == null && checksOk) {
            store.finish(ctx.id(), "succeeded", write(result), null, null);
        } else if (error == null) {
            store.finish(ctx.id(), "failed", write(result), ErrorCode.VERIFICATION_FAILED.name(), "test migration check(s) failed: "
                    + checks.stream().filter(c -> !c.ok()).map(Check::check).toList());
        } else {
            store.finish(ctx.id(), "failed", write(result), error.code().name(), error.getMessage());
        }
    }

    private static String write(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize " + o.getClass().getSimpleName());
        }
    }
}

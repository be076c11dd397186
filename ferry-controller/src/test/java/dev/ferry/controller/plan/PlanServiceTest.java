package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.store.Database;
import dev.ferry.controller.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan service on a real SQLite store with a fake placement and a fake engine: validation with
 * the ledger, refusal before anything moves, waves and limits, the on-failure policies, bandwidth
 * sharing, pause/abort, and a second service on the same database resuming a plan without starting
 * any VM twice. Ticks are driven by the test.
 */
class PlanServiceTest {
    @TempDir
    Path dir;

    Database db;
    FakeFleet fleet;
    PlanService service;

    @BeforeEach
    void open() {
        db = Database.open(TestDatabases.freshSqlite(dir));
        fleet = new FakeFleet(db.vms(), List.of("h1", "h2", "h3"));
        service = newService();
    }

    PlanService newService() {
        MovePredictor predictor = new MovePredictor(PlanInputs.NONE);
        return new PlanService(db.plans(), new PlanValidator(fleet, db.vms(), predictor), fleet, predictor, Clock.systemUTC(), 3_600_000);
    }

    @AfterEach
    void close() {
        service.close();
        db.close();
    }

    static final String TWO_WAVES = """
            name: rack-1
            limits: {perCluster: 2, perLink: 2}
            onFailure: %s
            waves:
              - vms:
                  - {vm: a, to: h2}
                  - {vm: b, to: h2}
              - vms:
                  - {vm: c, to: auto}
                  - {vm: d, to: h3, mode: warm}
            """;

    void fourVms() {
        fleet.addVm("a", "h1", 128);
        fleet.addVm("b", "h1", 128);
        fleet.addVm("c", "h1", 128);
        fleet.addVm("d", "h2", 128);
    }

    @Test
    void aPlanRunsItsWavesInOrderWithinItsLimitsAndRecordsWhatWasMeasured() {
        fourVms();
        PlanView p = service.create(TWO_WAVES.formatted("stop"));
        assertThat(p.state()).isEqualTo("validated");
        assertThat(p.predictedTotalMs()).isPositive();
        assertThat(p.items()).extracting(PlanItemView::vm).containsExactly("a", "b", "c", "d");
        assertThat(p.items()).allSatisfy(i -> assertThat(i.predicted().totalMs()).isPositive());
        assertThat(p.items().get(2).destination()).as("auto takes the best recommendation").isEqualTo("h3");

        service.run(p.id());
        service.tickAll();
        assertThat(fleet.running()).containsExactlyInAnyOrder("a", "b");
        // two on one link share it: each was started with half of QEMU's default 128 MiB/s
        assertThat(fleet.jobs.values()).allSatisfy(j -> assertThat(j.bandwidth).isEqualTo(64L << 20));
        fleet.finish("a", true);
        service.tickAll();
        assertThat(fleet.running()).as("wave 2 waits for all of wave 1").containsExactly("b");
        assertThat(fleet.jobs.values().stream().filter(j -> j.finishedAt == null).findFirst().orElseThrow().bandwidth)
                .as("alone on the link again: the whole link").isEqualTo(128L << 20);
        fleet.finish("b", true);
        service.tickAll();
        assertThat(fleet.running()).containsExactlyInAnyOrder("c", "d");
        fleet.finish("c", true);
        fleet.finish("d", true);
        service.tickAll();
        PlanView done = service.view(p.id());
        assertThat(done.state()).isEqualTo("succeeded");
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.items()).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo("succeeded");
            assertThat(i.measured().totalMs()).isEqualTo(1234L);
            assertThat(i.migrationId()).isNotNull();
            assertThat(i.assessment().movable()).isTrue();
        });
    }

    @Test
    void aMoveThatMonitorsItsGuestFreesTheSourceForTheNextButTheItemEndsWithItsJob() {
        fourVms();
        PlanView p = service.create("""
                name: one-at-a-time
                limits: {perSource: 1}
                waves:
                  - vms:
                      - {vm: a, to: h2}
                      - {vm: b, to: h3}
                """);
        service.run(p.id());
        service.tickAll();
        assertThat(fleet.running()).containsExactly("a");
        fleet.phase("a", "switchover");
        service.tickAll();
        assertThat(fleet.running()).as("a still switches over on h1's link").containsExactly("a");
        fleet.phase("a", "monitor");
        service.tickAll();
        assertThat(fleet.running()).as("a only watches its guest now").containsExactlyInAnyOrder("a", "b");
        assertThat(fleet.jobs.values().stream().filter(j -> j.req.vm().equals("b")).findFirst().orElseThrow().bandwidth)
                .as("b has the link to itself").isEqualTo(128L << 20);
        fleet.finish("b", true);
        service.tickAll();
        assertThat(service.view(p.id()).state()).as("the plan waits for a's monitor").isEqualTo("running");
        assertThat(service.view(p.id()).items().get(0).state()).isEqualTo("running");
        fleet.finish("a", false);
        service.tickAll();
        PlanView done = service.view(p.id());
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.items().get(0).state()).isEqualTo("failed");
    }

    @Test
    void aBlockerRefusesThePlanNamingEveryBlockedVmAndNothingMoves() {
        fourVms();
        fleet.incompatible.add("b->h2");
        fleet.addVm("big", "h3", 900);
        String yaml = TWO_WAVES.formatted("stop").replace("{vm: d, to: h3, mode: warm}", "{vm: d, to: h3}\n      - {vm: big, to: h2}");
        assertThatThrownBy(() -> service.create(yaml)).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ASSESSMENT_BLOCKED);
            assertThat(e.getMessage()).contains("b -> h2: no such CPU on h2");
            // a and c already fill h2 by 256 MiB in plan order, so 900 MiB no longer fit: the ledger at work
            assertThat(e.getMessage()).contains("big -> h2").contains("MEMORY");
            assertThat(e.getMessage()).doesNotContain("a -> h2");
        });
        assertThat(service.validate(yaml).state()).isEqualTo("refused");
        assertThat(service.list()).isEmpty();
        assertThat(fleet.started).isEmpty();
    }

    @Test
    void stopStartsNothingNewAfterAFailureAndRollbackMovesTheMovedVmsBack() {
        fourVms();
        PlanView stop = service.create(TWO_WAVES.formatted("stop"));
        service.run(stop.id());
        service.tickAll();
        fleet.finish("a", false);
        fleet.finish("b", true);
        service.tickAll();
        PlanView v = service.view(stop.id());
        assertThat(v.state()).isEqualTo("failed");
        assertThat(v.items()).extracting(PlanItemView::state).containsExactly("failed", "succeeded", "skipped", "skipped");
        assertThat(v.items().get(2).error()).contains("stops after the failure of a");

        // b is back on h1 only if a rollback plan moves it back
        PlanView rb = service.create("""
                name: back
                onFailure: rollback
                limits: {perCluster: 2, perLink: 2}
                vms:
                  - {vm: b, to: h3}
                  - {vm: c, to: h3}
                """);
        service.run(rb.id());
        service.tickAll();
        fleet.finish("b", true);
        fleet.finish("c", false);
        service.tickAll();
        assertThat(fleet.running()).containsExactly("b");
        assertThat(fleet.started).endsWith("b->h2");
        fleet.finish("b", true);
        service.tickAll();
        v = service.view(rb.id());
        assertThat(v.items()).extracting(PlanItemView::state).containsExactly("rolled-back", "failed");
        assertThat(v.items().get(0).rollbackMigrationId()).isNotNull();
        assertThat(db.vms().find("b").orElseThrow().host()).isEqualTo("h2");
        assertThat(v.state()).isEqualTo("failed");
    }

    @Test
    void pauseStartsNothingAndAbortAbortsWhatRuns() {
        fourVms();
        PlanView p = service.create(TWO_WAVES.formatted("continue"));
        service.run(p.id());
        service.tickAll();
        service.pause(p.id());
        fleet.finish("a", true);
        fleet.finish("b", true);
        service.tickAll();
        assertThat(fleet.running()).isEmpty();
        assertThat(service.view(p.id()).state()).isEqualTo("paused");
        assertThatThrownBy(() -> service.pause(p.id())).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        service.resume(p.id());
        service.tickAll();
        assertThat(fleet.running()).containsExactlyInAnyOrder("c", "d");
        service.abort(p.id());
        service.tickAll();
        PlanView v = service.view(p.id());
        assertThat(v.state()).isEqualTo("aborted");
        assertThat(v.items()).extracting(PlanItemView::state).containsExactly("succeeded", "succeeded", "aborted", "aborted");
        assertThatThrownBy(() -> service.view("nope")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PLAN_NOT_FOUND));
    }

    @Test
    void aNewServiceOnTheSameDatabaseResumesThePlanAndStartsNoVmTwice() {
        fourVms();
        PlanView p = service.create(TWO_WAVES.formatted("stop"));
        service.run(p.id());
        service.tickAll();
        service.close(); // the controller dies with a and b migrating
        fleet.finish("a", true);
        service = newService();
        service.resumeUnfinished();
        service.tickAll();
        assertThat(fleet.running()).containsExactly("b");
        fleet.finish("b", true);
        service.tickAll();
        fleet.finish("c", true);
        fleet.finish("d", true);
        service.tickAll();
        assertThat(service.view(p.id()).state()).isEqualTo("succeeded");
        assertThat(fleet.started).containsExactlyInAnyOrder("a->h2", "b->h2", "c->h3", "d->h3");
    }

    @Test
    void nothingStartsBeforeTheWindowAndAMoveThatWouldEndAfterItIsSkippedWithTheReason() {
        fourVms();
        MutableClock clock = new MutableClock(java.time.Instant.parse("2030-01-01T00:00:00Z"));
        MovePredictor predictor = new MovePredictor(PlanInputs.NONE);
        service.close();
        service = new PlanService(db.plans(), new PlanValidator(fleet, db.vms(), predictor), fleet, predictor, clock, 3_600_000);
        PlanView p = service.create("""
                name: night
                limits: {perCluster: 1}
                window: {start: 2030-01-01T01:00:00Z, end: 2030-01-01T01:00:10Z}
                vms:
                  - {vm: a, to: h2}
                  - {vm: b, to: h3}
                """);
        service.run(p.id());
        service.tickAll();
        assertThat(fleet.running()).as("the window has not opened").isEmpty();
        clock.set(java.time.Instant.parse("2030-01-01T01:00:00Z"));
        service.tickAll();
        assertThat(fleet.running()).containsExactly("a");
        clock.set(java.time.Instant.parse("2030-01-01T01:00:06Z")); // b's job (about 6 s) would end after 01:00:10
        fleet.finish("a", true);
        service.tickAll();
        PlanView v = service.view(p.id());
        assertThat(fleet.started).containsExactly("a->h2");
        assertThat(v.items().get(1).state()).isEqualTo("skipped");
        assertThat(v.items().get(1).error()).contains("falls after the window's end (2030-01-01T01:00:10Z)");
        assertThat(v.state()).isEqualTo("failed");
    }

    /** A clock the test sets. */
    static final class MutableClock extends Clock {
        private volatile java.time.Instant now;

        MutableClock(java.time.Instant now) { this.now = now; }

        void set(java.time.Instant t) { now = t; }

        @Override
        public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public java.time.Instant instant() { return now; }
    }

    @Test
    void aBadDocumentIsInvalidPlanNamingTheField() {
        assertInvalid("name: x\nvms:\n  - {vm: a, to: h2, mode: teleport}\n", "vms[0].mode");
        assertInvalid("name: x\nvms:\n  - {vm: a, to: h2, colour: red}\n", "vms[0]");
        assertInvalid("name: x\nlimits: {perLink: 0}\nvms:\n  - {vm: a, to: h2}\n", "limits.perLink");
        assertInvalid("name: x\nonFailure: panic\nvms:\n  - {vm: a, to: h2}\n", "onFailure");
        assertInvalid("vms:\n  - {vm: a, to: h2}\n", "name");
        assertInvalid("name: x\nvms:\n  - {vm: a}\n", "vms[0].to");
        assertInvalid("name: x\nwindow: {start: 2030-01-01T02:00:00Z, end: 2030-01-01T01:00:00Z}\nvms:\n  - {vm: a, to: h2}\n", "window.end");
        assertInvalid("name: x\nvms:\n  - {vm: a, to: h2, dependsOn: [b]}\n  - {vm: b, to: h2, dependsOn: [a]}\n", "cycle");
        assertInvalid("name: x\nwaves:\n  - vms: [{vm: a, to: h2, dependsOn: [b]}]\n  - vms: [{vm: b, to: h2}]\n", "later wave");
        assertInvalid("name: x\nvms:\n  - {vm: a, to: h2}\n  - {vm: a, to: h3}\n", "listed twice");
    }

    private static void assertInvalid(String yaml, String field) {
        assertThatThrownBy(() -> PlanDocuments.parse(yaml)).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PLAN);
            assertThat(e.getMessage()).contains(field);
        });
    }
}

package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanStoreTest extends StoreContract {

    static PlanRecord plan(String id, java.time.Instant created) {
        return new PlanRecord(id, "rack-7", "validated", "stop", "{\"name\":\"rack-7\"}", "[]", 42_000L, null, created, null, null);
    }

    static PlanItemRecord item(String planId, int seq, String vm) {
        return new PlanItemRecord(planId, seq, vm, "host-a", "host-b", 1 + seq / 2, "live", "pending", "{\"vm\":\"" + vm + "\"}",
                "{\"findings\":[]}", null, null, new PlanItemRecord.Figures(1000L, 20L, 1L << 27), PlanItemRecord.Figures.NONE, null);
    }

    @Test
    void createThenReadBackThePlanAndItsItemsInOrder() {
        PlanRecord p = plan("p1", T0);
        List<PlanItemRecord> items = List.of(item("p1", 0, "web-1"), item("p1", 1, "web-2"), item("p1", 2, "db-1"));
        db.plans().create(p, items);
        assertThat(db.plans().find("p1")).contains(p);
        assertThat(db.plans().items("p1")).containsExactlyElementsOf(items);
        assertThat(db.plans().find("nope")).isEmpty();
        assertThat(db.plans().items("nope")).isEmpty();
    }

    @Test
    void updateItemKeepsTheFiguresPredictedAndStoresTheMeasuredOnes() {
        db.plans().create(plan("p1", T0), List.of(item("p1", 0, "web-1")));
        PlanItemRecord done = item("p1", 0, "web-1").withMigration("m-1").withState("failed", "the guest panicked")
                .withMeasured(new PlanItemRecord.Figures(1500L, null, 99L)).withRollbackMigration("m-2");
        db.plans().updateItem(done);
        assertThat(db.plans().items("p1")).containsExactly(done);
    }

    @Test
    void updatePlanSetsStateAndKeepsTimesGivenAsNull() {
        db.plans().create(plan("p1", T0), List.of());
        db.plans().updatePlan("p1", "running", null, T0.plusSeconds(1), null);
        db.plans().updatePlan("p1", "failed", "web-1 failed", null, T0.plusSeconds(9));
        PlanRecord p = db.plans().find("p1").orElseThrow();
        assertThat(p.state()).isEqualTo("failed");
        assertThat(p.errorMessage()).isEqualTo("web-1 failed");
        assertThat(p.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(p.finishedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void listIsNewestFirstAndInStateOldestFirst() {
        db.plans().create(plan("old", T0), List.of());
        db.plans().create(plan("new", T0.plusSeconds(5)), List.of());
        db.plans().updatePlan("old", "running", null, T0, null);
        db.plans().updatePlan("new", "running", null, T0, null);
        assertThat(db.plans().list()).extracting(PlanRecord::id).containsExactly("new", "old");
        assertThat(db.plans().inState("running")).extracting(PlanRecord::id).containsExactly("old", "new");
        assertThat(db.plans().inState("validated")).isEmpty();
    }

    @Test
    void unknownPlanOrItemIsPlanNotFoundAndADuplicateChangesNothing() {
        assertFerry(ErrorCode.PLAN_NOT_FOUND, () -> db.plans().updatePlan("nope", "running", null, null, null));
        assertFerry(ErrorCode.PLAN_NOT_FOUND, () -> db.plans().updateItem(item("nope", 0, "web-1")));
        db.plans().create(plan("p1", T0), List.of(item("p1", 0, "web-1")));
        // A second plan with the same id is refused whole: neither it nor its items are stored.
        assertThatFails(() -> db.plans().create(plan("p1", T0), List.of(item("p1", 1, "web-2"))));
        assertThat(db.plans().items("p1")).extracting(PlanItemRecord::vm).containsExactly("web-1");
    }

    private static void assertThatFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        org.assertj.core.api.Assertions.assertThatThrownBy(c).isInstanceOf(dev.ferry.api.error.FerryException.class);
    }
}

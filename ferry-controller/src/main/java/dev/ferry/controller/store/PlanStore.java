package dev.ferry.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller's record of migration plans and their items. It exists so a plan survives the
 * controller: a restarted controller finds the running plans and the migration job of every item
 * here, and resumes. All methods throw {@code FerryException(IO_ERROR)} when the database fails.
 */
public interface PlanStore {
    /** Stores a new plan with its items, in one transaction. */
    void create(PlanRecord plan, List<PlanItemRecord> items);

    Optional<PlanRecord> find(String id);

    /** All plans, newest first. */
    List<PlanRecord> list();

    /** Plans in {@code state}, oldest first. */
    List<PlanRecord> inState(String state);

    /** The items of a plan, by seq. */
    List<PlanItemRecord> items(String planId);

    /**
     * Sets the plan's state and error message; sets {@code startedAt}/{@code finishedAt} when given
     * (null keeps the stored value). Throws {@code PLAN_NOT_FOUND} for an unknown plan.
     */
    void updatePlan(String id, String state, String errorMessage, Instant startedAt, Instant finishedAt);

    /** Replaces the mutable fields of an item (state, migration ids, measured figures, error). */
    void updateItem(PlanItemRecord item);
}

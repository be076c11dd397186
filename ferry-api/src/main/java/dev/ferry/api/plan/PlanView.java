package dev.ferry.api.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ferry.api.assess.Finding;
import java.time.Instant;
import java.util.List;

/**
 * A migration plan as the controller reports it ({@code GET /v1/plans/{id}}): its state, the
 * predicted total (the ETA), every item with its prediction and, once run, its measurement, and
 * the plan-level findings of validation.
 *
 * @param state            validated, running, paused, succeeded, failed or aborted
 * @param onFailure        stop, continue or rollback
 * @param predictedTotalMs predicted wall time of the whole plan within its limits, from the items' predictions
 */
public record PlanView(String id, String name, String state, String onFailure, Instant createdAt, Instant startedAt,
                       Instant finishedAt, Long predictedTotalMs, List<PlanItemView> items, List<Finding> findings,
                       String errorMessage) {
    public PlanView {
        items = items == null ? List.of() : List.copyOf(items);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    @JsonIgnore
    public boolean isFinished() { return finishedAt != null; }
}

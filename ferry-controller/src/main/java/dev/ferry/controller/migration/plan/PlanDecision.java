package dev.ferry.controller.migration.plan;

import java.util.List;

/** Either a plan, or a refusal that says why no allowed strategy meets the limits; with every prediction either way. */
public record PlanDecision(LivePlan plan, String refusal, List<Prediction> predictions) {
    public PlanDecision {
        predictions = List.copyOf(predictions);
    }

    public boolean refused() { return plan == null; }
}

package dev.ferry.cli.lab;

import dev.ferry.api.plan.PlanView;

/**
 * The two calls of the controller's plan API the evacuation demo needs: evacuate a host (the
 * controller assesses every guest on it, picks destinations and runs the moves as a plan) and read
 * a plan back. An interface so {@link Evacuation} can be unit-tested with a scripted plan.
 */
public interface PlanApi {
    /** {@code POST /v1/hosts/{host}/evacuate?dryRun=...}: the plan, validated or (not a dry run) started. */
    PlanView evacuate(String host, boolean dryRun);

    /** {@code GET /v1/plans/{id}}. */
    PlanView plan(String id);
}

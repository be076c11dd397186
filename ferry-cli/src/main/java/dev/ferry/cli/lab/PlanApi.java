package dev.ferry.cli.lab;

import dev.ferry.api.plan.PlanView;

/**
 * The calls of the controller's plan API the evacuation demo and bench need: evacuate a host (the
 * controller assesses every guest on it, picks destinations and runs the moves as a plan), read a
 * plan back, and abort it when it overruns. An interface so {@link Evacuation} can be unit-tested with a scripted plan.
 */
public interface PlanApi {
    /** {@code POST /v1/hosts/{host}/evacuate?dryRun=...}: the plan, validated or (not a dry run) started. */
    PlanView evacuate(String host, boolean dryRun);

    /** {@code GET /v1/plans/{id}}. */
    PlanView plan(String id);

    /** {@code POST /v1/plans/{id}/abort}: no further move starts, running ones are aborted. */
    PlanView abort(String id);
}

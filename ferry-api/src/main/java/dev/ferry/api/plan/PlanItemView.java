package dev.ferry.api.plan;

/**
 * One VM's move within a plan: where from and to (the destination chosen when the plan said
 * {@code auto}), its wave, the migration job once started, and predicted against measured.
 *
 * @param state pending, running, succeeded, failed, skipped (not started: window, policy or abort),
 *              rolled-back or aborted
 */
public record PlanItemView(String vm, String source, String destination, int wave, String mode, String state,
                           String migrationId, Figures predicted, Figures measured, String error) {

    /** Duration, guest downtime and bytes sent of one move; any may be null when not known. */
    public record Figures(Long totalMs, Long downtimeMs, Long bytes) {}
}

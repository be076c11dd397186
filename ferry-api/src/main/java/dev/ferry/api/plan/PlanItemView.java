package dev.ferry.api.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.api.assess.Assessment;

/**
 * One VM's move within a plan: where from and to (the destination chosen when the plan said
 * {@code auto}), its wave, the migration job once started, and predicted against measured.
 *
 * @param state               pending, running, succeeded, failed, skipped (not started: window, policy or abort),
 *                            rolling-back, rolled-back or aborted
 * @param assessment          what validation found for this move (the plan's record of what was checked)
 * @param rollbackMigrationId the job that moved the VM back when the plan rolled back; null otherwise
 * @param basis               what the prediction rests on (measured or assumed link and dirty rate)
 */
public record PlanItemView(String vm, String source, String destination, int wave, String mode, String state,
                           String migrationId, Figures predicted, Figures measured, String error, Assessment assessment,
                           String rollbackMigrationId, String basis) {

    @JsonCreator
    public PlanItemView(@JsonProperty("vm") String vm, @JsonProperty("source") String source,
                        @JsonProperty("destination") String destination, @JsonProperty("wave") int wave,
                        @JsonProperty("mode") String mode, @JsonProperty("state") String state,
                        @JsonProperty("migrationId") String migrationId, @JsonProperty("predicted") Figures predicted,
                        @JsonProperty("measured") Figures measured, @JsonProperty("error") String error,
                        @JsonProperty("assessment") Assessment assessment,
                        @JsonProperty("rollbackMigrationId") String rollbackMigrationId, @JsonProperty("basis") String basis) {
        this.vm = vm;
        this.source = source;
        this.destination = destination;
        this.wave = wave;
        this.mode = mode;
        this.state = state;
        this.migrationId = migrationId;
        this.predicted = predicted;
        this.measured = measured;
        this.error = error;
        this.assessment = assessment;
        this.rollbackMigrationId = rollbackMigrationId;
        this.basis = basis;
    }

    /** An item without assessment, rollback job or prediction basis (the view as first defined). */
    public PlanItemView(String vm, String source, String destination, int wave, String mode, String state, String migrationId,
                        Figures predicted, Figures measured, String error) {
        this(vm, source, destination, wave, mode, state, migrationId, predicted, measured, error, null, null, null);
    }

    /** Duration, guest downtime and bytes sent of one move; any may be null when not known. */
    public record Figures(Long totalMs, Long downtimeMs, Long bytes) {}
}

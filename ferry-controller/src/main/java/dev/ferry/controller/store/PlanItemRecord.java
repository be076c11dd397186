package dev.ferry.controller.store;

/**
 * One VM's move within a stored plan (ordered by {@code seq}): where from and to, the request it is
 * migrated with, what validation found, the migration job (and, after a rollback, the job that moved
 * it back), predicted and measured figures, and the error when it did not succeed.
 */
public record PlanItemRecord(String planId, int seq, String vm, String source, String destination, int wave, String mode,
                             String state, String requestJson, String assessmentJson, String migrationId, String rollbackMigrationId,
                             Figures predicted, Figures measured, String error) {

    /** Duration, downtime and bytes; any may be null. */
    public record Figures(Long totalMs, Long downtimeMs, Long bytes) {
        public static final Figures NONE = new Figures(null, null, null);
    }

    public PlanItemRecord withState(String newState, String newError) {
        return new PlanItemRecord(planId, seq, vm, source, destination, wave, mode, newState, requestJson, assessmentJson, migrationId,
                rollbackMigrationId, predicted, measured, newError);
    }

    public PlanItemRecord withMigration(String id) {
        return new PlanItemRecord(planId, seq, vm, source, destination, wave, mode, state, requestJson, assessmentJson, id,
                rollbackMigrationId, predicted, measured, error);
    }

    public PlanItemRecord withRollbackMigration(String id) {
        return new PlanItemRecord(planId, seq, vm, source, destination, wave, mode, state, requestJson, assessmentJson, migrationId,
                id, predicted, measured, error);
    }

    public PlanItemRecord withMeasured(Figures m) {
        return new PlanItemRecord(planId, seq, vm, source, destination, wave, mode, state, requestJson, assessmentJson, migrationId,
                rollbackMigrationId, predicted, m, error);
    }
}

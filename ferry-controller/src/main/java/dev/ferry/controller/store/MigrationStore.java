package dev.ferry.controller.store;

import java.util.List;
import java.util.Optional;

/**
 * Durable migration jobs and their event logs. It exists so jobs survive a controller restart
 * (the controller resumes or fails them from {@link #unfinished()}), and so the rule "one active
 * migration per VM" is enforced by the database itself: a partial unique index on {@code vm}
 * where {@code finished_at IS NULL}, which holds even when two controllers race.
 * Methods taking a job id throw {@code MIGRATION_NOT_FOUND} for an unknown id; all methods throw
 * {@code IO_ERROR} when the database fails. Timestamps the store sets come from its clock.
 */
public interface MigrationStore {
    /**
     * Stores a new job. Null {@code createdAt} becomes now, null {@code updatedAt} becomes
     * {@code createdAt}; instants are truncated to milliseconds. Returns the record as stored.
     * Throws {@code VM_BUSY} if the VM already has an unfinished job, and {@code INVALID_ARGUMENT}
     * if the id is taken.
     */
    MigrationRecord create(MigrationRecord m);

    Optional<MigrationRecord> find(String id);

    /** The {@code limit} newest jobs, newest first. */
    List<MigrationRecord> list(int limit);

    /** Jobs whose {@code finishedAt} is null, oldest first. */
    List<MigrationRecord> unfinished();

    /** The unfinished job of {@code vm}, if any. */
    Optional<MigrationRecord> activeFor(String vm);

    /** Sets state and phase and bumps {@code updatedAt}. */
    void updatePhase(String id, String state, String phase);

    /** Replaces the latest statistics and bumps {@code updatedAt}. */
    void updateStats(String id, String statsJson);

    /**
     * Ends the job: sets state, result and error, and {@code finishedAt} (kept from the first call
     * if called again). {@code abortRequested} is left as it is.
     */
    void finish(String id, String state, String resultJson, String errorCode, String errorMessage);

    /** Flags the job for abort; true if it is unfinished and now flagged, false if it had finished. */
    boolean requestAbort(String id);

    /** Appends an event stamped now. */
    void addEvent(String id, String kind, String message, String dataJson);

    /** The job's events in the order they were added. */
    List<MigrationEventRecord> events(String id);
}

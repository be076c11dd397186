package dev.ferry.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable records of the backups migrations take before they move anything, so that a rollback to
 * the backup and the deletion after the retention period work across controller restarts. At most
 * one backup per migration (a unique index). All methods throw {@code IO_ERROR} when the database
 * fails; methods taking an id throw {@code BACKUP_NOT_FOUND} for an unknown one.
 */
public interface BackupStore {
    /** Stores a new backup; {@code INVALID_ARGUMENT} if its id or its migration already has one. */
    BackupRecord create(BackupRecord b);

    Optional<BackupRecord> find(String id);

    Optional<BackupRecord> forMigration(String migrationId);

    /** The {@code limit} newest backups, newest first. */
    List<BackupRecord> list(int limit);

    /** Retained backups whose {@code keepUntil} is at or before {@code now}, oldest first. */
    List<BackupRecord> expired(Instant now);

    /** Sets state, keep-until and detail. */
    void update(String id, String state, Instant keepUntil, String detail);
}

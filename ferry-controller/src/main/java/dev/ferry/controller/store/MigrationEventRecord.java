package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One entry of a migration's event log (phase changes, warnings, operator actions). {@code seq}
 * is assigned by the database, increases with every event written, and orders a job's events.
 */
public record MigrationEventRecord(long seq, String migrationId, Instant at, String kind, String message,
                                   String dataJson) {}

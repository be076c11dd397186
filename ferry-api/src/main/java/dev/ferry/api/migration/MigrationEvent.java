package dev.ferry.api.migration;

import java.time.Instant;

/** One line of a migration's history: a phase change, a decision, a warning or an error. */
public record MigrationEvent(Instant at, String kind, String message) {}

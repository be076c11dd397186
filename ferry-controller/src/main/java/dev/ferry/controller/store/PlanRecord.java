package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One migration plan as stored: its checked definition and validation findings as JSON, its state
 * (validated, running, paused, succeeded, failed, aborted) and the predicted total.
 */
public record PlanRecord(String id, String name, String state, String onFailure, String definitionJson, String findingsJson,
                         Long predictedTotalMs, String errorMessage, Instant createdAt, Instant startedAt, Instant finishedAt) {}

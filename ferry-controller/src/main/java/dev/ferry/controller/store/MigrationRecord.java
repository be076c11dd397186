package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One migration job as persisted: what moves where, its progress ({@code state}, {@code phase},
 * the latest {@code statsJson}), how it ended ({@code resultJson}, {@code errorCode},
 * {@code errorMessage}, {@code finishedAt}), and whether an operator asked to abort it. A job is
 * unfinished while {@code finishedAt} is null; the database allows one unfinished job per VM.
 */
public record MigrationRecord(String id, String vm, String sourceHost, String destHost, String mode, String state,
                              String phase, String paramsJson, String statsJson, String resultJson, String errorCode,
                              String errorMessage, boolean abortRequested, Instant createdAt, Instant updatedAt,
                              Instant finishedAt) {

    public boolean finished() {
        return finishedAt != null;
    }
}

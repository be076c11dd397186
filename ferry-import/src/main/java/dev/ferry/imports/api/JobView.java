package dev.ferry.imports.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An import or export job on one agent, as {@code GET /v1/jobs/ID} reports it: phase and bytes
 * converted so far, and once finished either the result (import report and defined VM, or the
 * exported files) or the error, in the catalogue's terms.
 *
 * @param kind  import or export
 * @param state running, succeeded or failed
 */
public record JobView(String id, String kind, String vm, String state, String phase, long doneBytes, long totalBytes,
                      String errorCode, String errorMessage, JsonNode result, Instant createdAt, Instant finishedAt) {
    @JsonIgnore
    public boolean isFinished() { return finishedAt != null; }
}

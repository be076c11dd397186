package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * A migration job as the controller reports it: where it stands (state and phase), its latest
 * progress reading, and once finished its result or error.
 *
 * @param state running, succeeded, failed or aborted
 * @param phase the phase running now, or the last one run
 */
public record MigrationView(
        String id,
        String vm,
        String source,
        String destination,
        String mode,
        String state,
        String phase,
        MigrationProgress progress,
        MigrationResult result,
        String errorCode,
        String errorMessage,
        Instant createdAt,
        Instant finishedAt,
        List<MigrationEvent> events) {

    @JsonIgnore
    public boolean isFinished() { return finishedAt != null; }
}

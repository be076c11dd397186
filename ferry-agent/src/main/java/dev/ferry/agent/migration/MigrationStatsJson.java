package dev.ferry.agent.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationStats;

/**
 * Writes {@link MigrationStats} as exactly its record components. Jackson would otherwise also
 * write {@code isFinished()} as a {@code "finished"} property, which the strict shared mapper of
 * every Ferry client then refuses as unknown; leaving it out keeps the wire format readable by
 * {@link dev.ferry.api.client.AgentClient}. Harmless once the record marks the method
 * {@code @JsonIgnore} itself.
 */
public final class MigrationStatsJson {
    private static final ObjectWriter WRITER = Json.mapper().copy()
            .addMixIn(MigrationStats.class, WithoutDerived.class).writer();

    private MigrationStatsJson() {}

    public static String write(MigrationStats stats) {
        try {
            return WRITER.writeValueAsString(stats);
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot write migration stats: " + e.getOriginalMessage(), e);
        }
    }

    private abstract static class WithoutDerived {
        @JsonIgnore
        abstract boolean isFinished();
    }
}

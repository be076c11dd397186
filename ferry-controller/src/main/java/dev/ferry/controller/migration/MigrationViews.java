package dev.ferry.controller.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationProgress;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.controller.store.MigrationRecord;
import java.io.IOException;
import java.util.List;

/** Turns stored migration records into the API's {@link dev.ferry.api.migration.MigrationView}. */
final class MigrationViews {
    private MigrationViews() {}

    static dev.ferry.api.migration.MigrationView of(MigrationRecord r, List<MigrationEvent> events) {
        MigrationStats stats = read(r.statsJson(), MigrationStats.class);
        return new dev.ferry.api.migration.MigrationView(r.id(), r.vm(), r.sourceHost(), r.destHost(), r.mode(), r.state(),
                r.phase(), stats == null ? null : MigrationProgress.of(stats), read(r.resultJson(), MigrationResult.class),
                r.errorCode(), r.errorMessage(), r.createdAt(), r.finishedAt(), events);
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) return null;
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "stored " + type.getSimpleName() + " is unreadable: " + e.getMessage());
        }
    }

    static String write(Object o) {
        try {
            return o == null ? null : Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize " + o.getClass().getSimpleName());
        }
    }
}

package dev.ferry.controller.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.io.IOException;

/** JSON of what plans store (definitions, requests, assessments, findings), in one place with one error. */
final class PlanJson {
    private PlanJson() {}

    static String write(Object o) {
        try {
            return o == null ? null : Json.mapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize " + o.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) return null;
        try {
            return Json.responses().readValue(json, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "stored " + type.getSimpleName() + " is unreadable: " + e.getMessage());
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        if (json == null || json.isBlank()) return null;
        try {
            return Json.responses().readValue(json, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "stored plan data is unreadable: " + e.getMessage());
        }
    }
}

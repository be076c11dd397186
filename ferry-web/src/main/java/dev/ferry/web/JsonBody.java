package dev.ferry.web;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Reads a request's JSON body as one of the API's records for the routes of agent and controller.
 * A body that is not valid JSON for the type is INVALID_ARGUMENT naming the type and Jackson's first
 * line, never a stack trace, so every route refuses bad input the same way.
 */
public final class JsonBody {
    private JsonBody() {}

    /** The body as {@code type}; an empty body is invalid too. */
    public static <T> T read(Context ctx, Class<T> type) {
        try {
            return Json.mapper().readValue(ctx.body(), type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The body as {@code type}, or null when the request has no (or a blank) body. */
    public static <T> T readOrNull(Context ctx, Class<T> type) {
        return ctx.body().isBlank() ? null : read(ctx, type);
    }
}

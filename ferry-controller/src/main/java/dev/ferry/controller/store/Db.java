package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.HandleCallback;

/**
 * What every Jdbi store shares: the Jdbi instance, the clock that stamps rows, and one place that
 * converts failures with {@link DbErrors}. It exists so each store method is a single call that
 * names what it was doing, and so timestamps are stored the same way on both databases: as epoch
 * milliseconds in a BIGINT column, which round-trips exactly on SQLite and PostgreSQL alike.
 */
final class Db {
    final Jdbi jdbi;
    private final Clock clock;

    Db(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Runs {@code work} on a handle in auto-commit mode. */
    <T> T withHandle(String action, HandleCallback<T, RuntimeException> work) {
        return guard(action, () -> jdbi.withHandle(work));
    }

    /** Runs {@code work} in one transaction, rolled back if it throws. */
    <T> T inTransaction(String action, HandleCallback<T, RuntimeException> work) {
        return guard(action, () -> jdbi.inTransaction(work));
    }

    static <T> T guard(String action, Supplier<T> body) {
        try {
            return body.get();
        } catch (FerryException e) {
            throw e;
        } catch (JdbiException e) {
            throw DbErrors.translate(action, e);
        }
    }

    long nowMillis() {
        return clock.millis();
    }

    static Long toMillis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** Reads a nullable epoch-millisecond column as an Instant. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** {@code t} as it will read back: truncated to whole milliseconds. */
    static Instant truncate(Instant t) {
        return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
    }

    static void require(Object value, String what) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, what + " is required");
        }
    }
}

package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns database failures into Ferry's error catalogue. It exists so that no {@link SQLException}
 * or Jdbi exception leaks out of the store package: callers see {@link ErrorCode#IO_ERROR} with a
 * readable message, and the stores can ask whether a failure was a unique-constraint violation
 * (how the database tells us it refused a second active migration of a VM) without knowing which
 * driver raised it.
 */
final class DbErrors {
    private DbErrors() {}

    static FerryException translate(String action, Throwable e) {
        if (e instanceof FerryException fe) return fe;
        return new FerryException(ErrorCode.IO_ERROR, "Database error while " + action + ": " + describe(e), e);
    }

    /** The most specific message in the cause chain, preferring the driver's own words. */
    static String describe(Throwable e) {
        String best = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getMessage();
                if (t instanceof SQLException) break;
            }
        }
        if (best == null) return e.getClass().getSimpleName();
        // Jdbi appends the statement context to its messages; the first line is what matters.
        int nl = best.indexOf('\n');
        return (nl < 0 ? best : best.substring(0, nl)).strip();
    }

    /** True if the failure is a UNIQUE or PRIMARY KEY violation, on SQLite or PostgreSQL. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException s) {
                SQLiteErrorCode c = s.getResultCode();
                if (c == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || c == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                    return true;
                }
            }
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
        }
        return false;
    }
}

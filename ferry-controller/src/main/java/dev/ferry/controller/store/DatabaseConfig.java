package dev.ferry.controller.store;

import java.nio.file.Path;

/**
 * Where the controller keeps its state: a JDBC URL plus optional credentials. It exists so the
 * rest of the controller never builds JDBC URLs itself; {@link #sqlite(Path)} is the default (one
 * file next to the controller), and any {@code jdbc:postgresql:} URL selects PostgreSQL.
 * {@link #toString()} hides the password and URL parameters so a config can be logged safely.
 */
public record DatabaseConfig(String jdbcUrl, String user, String password) {

    /** A SQLite database kept in {@code file}; its parent directory is created on open. */
    public static DatabaseConfig sqlite(Path file) {
        return new DatabaseConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    /** The URL without its query string, which may carry credentials: safe for messages and logs. */
    public String redactedUrl() {
        if (jdbcUrl == null) return "(no url)";
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + redactedUrl() + (user == null ? "" : ", user=" + user)
                + (password == null ? "" : ", password=***") + "]";
    }
}

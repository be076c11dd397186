package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatabaseTest extends StoreContract {

    @Test
    void kindNamesTheDatabase() {
        assertThat(db.kind()).isEqualTo(kind == TestDatabases.Kind.SQLITE ? "sqlite" : "postgresql");
    }

    @Test
    void reopeningKeepsDataAndMigratesOnlyOnce() throws Exception {
        db.hosts().upsert(HostStoreTest.host("alpha", T0));
        db.vms().upsert(VmStoreTest.vm("web", "alpha", "RUNNING"));
        db.migrations().create(MigrationStoreTest.job("m1", "web", T0));
        db.migrations().addEvent("m1", "created", "hello", null);
        db.close();

        db = Database.open(config, clock);
        db.close();
        db = Database.open(config, clock);
        assertThat(db.hosts().find("alpha")).contains(HostStoreTest.host("alpha", T0));
        assertThat(db.vms().all()).containsExactly(VmStoreTest.vm("web", "alpha", "RUNNING"));
        assertThat(db.migrations().unfinished()).extracting(MigrationRecord::id).containsExactly("m1");
        assertThat(db.migrations().events("m1")).extracting(MigrationEventRecord::message).containsExactly("hello");
        // the VM_BUSY rule survives a reopen too
        assertFerry(ErrorCode.VM_BUSY, () -> db.migrations().create(MigrationStoreTest.job("m2", "web", T0)));

        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).as("applied migrations: each script once").isEqualTo(migrationScripts());
        }
    }

    @Test
    void aClosedDatabaseFailsWithIoErrorNotSqlException() {
        db.close();
        FerryException e = catchThrowableOfType(FerryException.class, () -> db.hosts().all());
        assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(e.getMessage()).startsWith("Database error while listing hosts: ");
        for (var call : List.<Runnable>of(() -> db.vms().find("x"), () -> db.migrations().list(5),
                () -> db.migrations().updateStats("x", "{}"))) {
            assertFerry(ErrorCode.IO_ERROR, call::run);
        }
        db = null;
    }

    /** The Flyway scripts shipped (V1, V2, V3, ...): each is applied exactly once, however often the database is opened. */
    private static long migrationScripts() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(Database.class.getResource("/db/migration").toURI());
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V[0-9_]+__.+\\.sql")).count();
        }
    }
}

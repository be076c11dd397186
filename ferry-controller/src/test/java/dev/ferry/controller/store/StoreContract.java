package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Path;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The base of the store contract suite: every test class extending it runs once per database
 * kind, each test against a fresh, migrated database whose clock the test controls.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.Kind.class)
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");

    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    DatabaseConfig config;
    Database db;

    @BeforeEach
    void openDatabase() {
        config = TestDatabases.fresh(kind, dir);
        db = Database.open(config, clock);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) db.close();
    }

    static void assertFerry(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FerryException.class, e -> {
            if (e.code() != code) throw new AssertionError("expected " + code + " but got " + e.code() + ": " + e.getMessage(), e);
        });
    }
}

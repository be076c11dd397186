package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupStoreTest extends StoreContract {
    @BeforeEach
    void jobs() {
        db.migrations().create(MigrationStoreTest.job("m1", "web", T0));
        db.migrations().create(MigrationStoreTest.job("m2", "db", T0));
    }

    static BackupRecord backup(String id, String migration, Instant taken) {
        return new BackupRecord(id, migration, "web", "alpha", taken, BackupRecord.KEPT, "[{\"diskId\":\"vda\",\"path\":\"/p/x.img\"}]",
                "{\"name\":\"web\"}", null, "before the move", null);
    }

    @Test
    void createReturnsWhatFindReadsWithTimesFromTheClock() {
        BackupRecord b = db.backups().create(backup("b1", "m1", Instant.parse("2030-01-01T00:00:00.123999Z")));
        assertThat(b.takenAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
        assertThat(b.updatedAt()).isEqualTo(T0);
        assertThat(db.backups().find("b1")).contains(b);
        assertThat(db.backups().forMigration("m1")).contains(b);
        assertThat(db.backups().forMigration("m2")).isEmpty();
        assertThat(b.restorable()).isTrue();
    }

    @Test
    void oneBackupPerMigrationAndUniqueIds() {
        db.backups().create(backup("b1", "m1", T0));
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.backups().create(backup("b2", "m1", T0)));
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.backups().create(backup("b1", "m2", T0)));
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.backups().create(backup(null, "m2", T0)));
    }

    @Test
    void onlyRetainedBackupsPastTheirTimeExpire() {
        db.backups().create(backup("b1", "m1", T0));
        db.backups().create(backup("b2", "m2", T0.plusSeconds(1)));
        db.backups().update("b1", BackupRecord.RETAINED, T0.plusSeconds(3600), "checks passed");
        assertThat(db.backups().expired(T0.plusSeconds(3599))).isEmpty();
        assertThat(db.backups().expired(T0.plusSeconds(3600))).extracting(BackupRecord::id).containsExactly("b1");
        db.backups().update("b1", BackupRecord.DELETED, T0.plusSeconds(3600), "deleted");
        assertThat(db.backups().expired(T0.plusSeconds(7200))).isEmpty();
        assertThat(db.backups().find("b1").orElseThrow().restorable()).isFalse();
        assertThat(db.backups().find("b2").orElseThrow().state()).isEqualTo(BackupRecord.KEPT);
    }

    @Test
    void listIsNewestFirstAndUnknownIdsFail() {
        db.backups().create(backup("b1", "m1", T0));
        db.backups().create(backup("b2", "m2", T0.plusSeconds(1)));
        assertThat(db.backups().list(10)).extracting(BackupRecord::id).containsExactly("b2", "b1");
        assertThat(db.backups().list(1)).hasSize(1);
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.backups().list(0));
        assertFerry(ErrorCode.BACKUP_NOT_FOUND, () -> db.backups().update("nope", BackupRecord.DELETED, null, null));
    }

    @Test
    void aBackupNeedsAnExistingMigration() {
        db.backups().create(backup("b1", "m1", T0));
        assertFerry(ErrorCode.IO_ERROR, () -> db.backups().create(backup("b3", "missing", T0)));
    }
}

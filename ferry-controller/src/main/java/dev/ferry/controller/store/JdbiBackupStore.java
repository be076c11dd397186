package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link BackupStore} on the {@code backups} table (Flyway V4) through Jdbi. */
final class JdbiBackupStore implements BackupStore {
    private static final String COLUMNS = "id, migration_id, vm, host, taken_at, state, images_json, spec_json, keep_until, detail, updated_at";

    private static final RowMapper<BackupRecord> MAPPER = (rs, ctx) -> new BackupRecord(rs.getString("id"), rs.getString("migration_id"),
            rs.getString("vm"), rs.getString("host"), Db.instant(rs, "taken_at"), rs.getString("state"), rs.getString("images_json"),
            rs.getString("spec_json"), Db.instant(rs, "keep_until"), rs.getString("detail"), Db.instant(rs, "updated_at"));

    private final Db db;

    JdbiBackupStore(Db db) { this.db = db; }

    @Override
    public BackupRecord create(BackupRecord b) {
        Db.require(b, "backup");
        Db.require(b.id(), "backup id");
        Db.require(b.migrationId(), "backup migration id");
        Db.require(b.vm(), "backup VM");
        Db.require(b.host(), "backup host");
        Db.require(b.state(), "backup state");
        Db.require(b.imagesJson(), "backup images");
        Db.require(b.specJson(), "backup spec");
        long now = db.nowMillis();
        Instant taken = b.takenAt() == null ? Instant.ofEpochMilli(now) : Db.truncate(b.takenAt());
        BackupRecord stored = new BackupRecord(b.id(), b.migrationId(), b.vm(), b.host(), taken, b.state(), b.imagesJson(), b.specJson(),
                Db.truncate(b.keepUntil()), b.detail(), Instant.ofEpochMilli(now));
        db.withHandle("saving backup '" + b.id() + "'", h -> {
            boolean taken2 = h.createQuery("SELECT COUNT(*) FROM backups WHERE id = :id OR migration_id = :m")
                    .bind("id", b.id()).bind("m", b.migrationId()).mapTo(Integer.class).one() > 0;
            if (taken2) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "backup " + b.id() + " or a backup of migration " + b.migrationId()
                        + " already exists");
            }
            return h.createUpdate("INSERT INTO backups (" + COLUMNS + ") VALUES (:id, :migrationId, :vm, :host, :takenAt, :state,"
                            + " :imagesJson, :specJson, :keepUntil, :detail, :updatedAt)")
                    .bind("id", stored.id()).bind("migrationId", stored.migrationId()).bind("vm", stored.vm())
                    .bind("host", stored.host()).bind("takenAt", Db.toMillis(stored.takenAt())).bind("state", stored.state())
                    .bind("imagesJson", stored.imagesJson()).bind("specJson", stored.specJson())
                    .bind("keepUntil", Db.toMillis(stored.keepUntil())).bind("detail", stored.detail())
                    .bind("updatedAt", Db.toMillis(stored.updatedAt())).execute();
        });
        return stored;
    }

    @Override
    public Optional<BackupRecord> find(String id) {
        return db.withHandle("reading backup '" + id + "'", h -> h.createQuery("SELECT " + COLUMNS + " FROM backups WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<BackupRecord> forMigration(String migrationId) {
        return db.withHandle("reading the backup of migration '" + migrationId + "'", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM backups WHERE migration_id = :m").bind("m", migrationId).map(MAPPER).findOne());
    }

    @Override
    public List<BackupRecord> list(int limit) {
        if (limit < 1) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "limit must be at least 1");
        return db.withHandle("listing backups", h -> h.createQuery("SELECT " + COLUMNS + " FROM backups ORDER BY taken_at DESC, id LIMIT :n")
                .bind("n", limit).map(MAPPER).list());
    }

    @Override
    public List<BackupRecord> expired(Instant now) {
        return db.withHandle("listing expired backups", h -> h.createQuery("SELECT " + COLUMNS + " FROM backups WHERE state = :s"
                        + " AND keep_until IS NOT NULL AND keep_until <= :now ORDER BY keep_until, id")
                .bind("s", BackupRecord.RETAINED).bind("now", now.toEpochMilli()).map(MAPPER).list());
    }

    @Override
    public void update(String id, String state, Instant keepUntil, String detail) {
        Db.require(state, "backup state");
        int n = db.withHandle("updating backup '" + id + "'", h -> h.createUpdate("UPDATE backups SET state = :state,"
                        + " keep_until = :keepUntil, detail = :detail, updated_at = :now WHERE id = :id")
                .bind("state", state).bind("keepUntil", Db.toMillis(keepUntil)).bind("detail", detail)
                .bind("now", db.nowMillis()).bind("id", id).execute());
        if (n == 0) throw new FerryException(ErrorCode.BACKUP_NOT_FOUND, "no backup with id " + id);
    }
}

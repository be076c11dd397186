package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link HostStore} on the {@code hosts} table through Jdbi. It exists to keep the SQL for hosts
 * in one small place; the statements use only syntax SQLite and PostgreSQL share
 * ({@code INSERT … ON CONFLICT … DO UPDATE}), so the same class serves both.
 */
final class JdbiHostStore implements HostStore {
    private static final String COLUMNS = "name, api_url, migration_address, fingerprint, accelerator, qemu_version, "
            + "info_json, registered_at, last_seen_at, status";

    private static final RowMapper<HostRecord> MAPPER = (rs, ctx) -> new HostRecord(
            rs.getString("name"), rs.getString("api_url"), rs.getString("migration_address"),
            rs.getString("fingerprint"), rs.getString("accelerator"), rs.getString("qemu_version"),
            rs.getString("info_json"), Db.instant(rs, "registered_at"), Db.instant(rs, "last_seen_at"),
            rs.getString("status"));

    private final Db db;

    JdbiHostStore(Db db) {
        this.db = db;
    }

    @Override
    public void upsert(HostRecord h) {
        Db.require(h, "host");
        Db.require(h.name(), "host name");
        Db.require(h.apiUrl(), "host apiUrl");
        Db.require(h.registeredAt(), "host registeredAt");
        Db.require(h.status(), "host status");
        db.withHandle("saving host '" + h.name() + "'", handle -> handle.createUpdate(
                        "INSERT INTO hosts (" + COLUMNS + ") VALUES (:name, :apiUrl, :migrationAddress, :fingerprint, "
                                + ":accelerator, :qemuVersion, :infoJson, :registeredAt, :lastSeenAt, :status) "
                                + "ON CONFLICT (name) DO UPDATE SET api_url = excluded.api_url, "
                                + "migration_address = excluded.migration_address, fingerprint = excluded.fingerprint, "
                                + "accelerator = excluded.accelerator, qemu_version = excluded.qemu_version, "
                                + "info_json = excluded.info_json, registered_at = excluded.registered_at, "
                                + "last_seen_at = excluded.last_seen_at, status = excluded.status")
                .bind("name", h.name())
                .bind("apiUrl", h.apiUrl())
                .bind("migrationAddress", h.migrationAddress())
                .bind("fingerprint", h.fingerprint())
                .bind("accelerator", h.accelerator())
                .bind("qemuVersion", h.qemuVersion())
                .bind("infoJson", h.infoJson())
                .bind("registeredAt", Db.toMillis(h.registeredAt()))
                .bind("lastSeenAt", Db.toMillis(h.lastSeenAt()))
                .bind("status", h.status())
                .execute());
    }

    @Override
    public Optional<HostRecord> find(String name) {
        return db.withHandle("reading host '" + name + "'", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM hosts WHERE name = :name")
                .bind("name", name).map(MAPPER).findOne());
    }

    @Override
    public List<HostRecord> all() {
        return db.withHandle("listing hosts", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM hosts ORDER BY name").map(MAPPER).list());
    }

    @Override
    public boolean delete(String name) {
        return db.withHandle("deleting host '" + name + "'", h -> h.createUpdate(
                "DELETE FROM hosts WHERE name = :name").bind("name", name).execute()) > 0;
    }

    @Override
    public void touch(String name, Instant seen, String status, String infoJson) {
        Db.require(seen, "seen");
        int rows = db.withHandle("updating host '" + name + "'", h -> h.createUpdate(
                        "UPDATE hosts SET last_seen_at = :seen, status = COALESCE(:status, status), "
                                + "info_json = COALESCE(:infoJson, info_json) WHERE name = :name")
                .bind("seen", Db.toMillis(seen))
                .bind("status", status)
                .bind("infoJson", infoJson)
                .bind("name", name)
                .execute());
        if (rows == 0) throw new FerryException(ErrorCode.HOST_NOT_FOUND, "No host named '" + name + "'");
    }
}

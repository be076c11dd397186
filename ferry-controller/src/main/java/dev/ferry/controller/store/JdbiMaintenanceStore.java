package dev.ferry.controller.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link MaintenanceStore} on the {@code host_maintenance} table (SQL both databases accept). */
final class JdbiMaintenanceStore implements MaintenanceStore {
    private static final RowMapper<Entry> MAPPER = (rs, ctx) -> new Entry(rs.getString("host"), Db.instant(rs, "since"),
            rs.getString("reason"));

    private final Db db;

    JdbiMaintenanceStore(Db db) { this.db = db; }

    @Override
    public void enable(String host, String reason) {
        Db.require(host, "host");
        db.withHandle("putting host '" + host + "' into maintenance", h -> h.createUpdate(
                        "INSERT INTO host_maintenance (host, since, reason) VALUES (:host, :since, :reason) "
                                + "ON CONFLICT (host) DO UPDATE SET reason = excluded.reason")
                .bind("host", host).bind("since", db.nowMillis()).bind("reason", reason).execute());
    }

    @Override
    public boolean disable(String host) {
        return db.withHandle("ending maintenance of host '" + host + "'", h -> h.createUpdate(
                "DELETE FROM host_maintenance WHERE host = :host").bind("host", host).execute()) > 0;
    }

    @Override
    public Optional<Entry> find(String host) {
        return db.withHandle("reading maintenance of host '" + host + "'", h -> h.createQuery(
                "SELECT host, since, reason FROM host_maintenance WHERE host = :host").bind("host", host).map(MAPPER).findOne());
    }

    @Override
    public List<Entry> all() {
        return db.withHandle("listing hosts in maintenance", h -> h.createQuery(
                "SELECT host, since, reason FROM host_maintenance ORDER BY host").map(MAPPER).list());
    }
}

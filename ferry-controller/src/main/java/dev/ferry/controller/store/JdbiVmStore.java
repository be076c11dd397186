package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link VmStore} on the {@code vms} table through Jdbi. It exists to keep the inventory SQL in
 * one small place, including the per-host sync that must delete and upsert in a single
 * transaction so a reader never sees a host's VMs half replaced.
 */
final class JdbiVmStore implements VmStore {
    private static final String COLUMNS = "name, host, state, spec_json, updated_at";

    private static final RowMapper<VmRecord> MAPPER = (rs, ctx) -> new VmRecord(
            rs.getString("name"), rs.getString("host"), rs.getString("state"), rs.getString("spec_json"),
            Db.instant(rs, "updated_at"));

    private final Db db;

    JdbiVmStore(Db db) {
        this.db = db;
    }

    @Override
    public void upsert(VmRecord v) {
        validate(v);
        db.withHandle("saving VM '" + v.name() + "'", h -> upsert(h, v));
    }

    private static int upsert(Handle h, VmRecord v) {
        return h.createUpdate("INSERT INTO vms (" + COLUMNS + ") VALUES (:name, :host, :state, :specJson, :updatedAt) "
                        + "ON CONFLICT (name) DO UPDATE SET host = excluded.host, state = excluded.state, "
                        + "spec_json = excluded.spec_json, updated_at = excluded.updated_at")
                .bind("name", v.name())
                .bind("host", v.host())
                .bind("state", v.state())
                .bind("specJson", v.specJson())
                .bind("updatedAt", Db.toMillis(v.updatedAt()))
                .execute();
    }

    private static void validate(VmRecord v) {
        Db.require(v, "VM");
        Db.require(v.name(), "VM name");
        Db.require(v.host(), "VM host");
        Db.require(v.state(), "VM state");
        Db.require(v.updatedAt(), "VM updatedAt");
    }

    @Override
    public Optional<VmRecord> find(String name) {
        return db.withHandle("reading VM '" + name + "'", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM vms WHERE name = :name")
                .bind("name", name).map(MAPPER).findOne());
    }

    @Override
    public List<VmRecord> all() {
        return db.withHandle("listing VMs", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM vms ORDER BY name").map(MAPPER).list());
    }

    @Override
    public List<VmRecord> onHost(String host) {
        return db.withHandle("listing VMs on host '" + host + "'", h -> onHost(h, host));
    }

    private static List<VmRecord> onHost(Handle h, String host) {
        return h.createQuery("SELECT " + COLUMNS + " FROM vms WHERE host = :host ORDER BY name")
                .bind("host", host).map(MAPPER).list();
    }

    @Override
    public void replaceHost(String host, List<VmRecord> vms) {
        Db.require(host, "host");
        Db.require(vms, "VM list");
        Set<String> keep = new HashSet<>();
        for (VmRecord v : vms) {
            validate(v);
            if (!host.equals(v.host())) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT,
                        "VM '" + v.name() + "' names host '" + v.host() + "', not '" + host + "'");
            }
            keep.add(v.name());
        }
        db.inTransaction("syncing the VMs of host '" + host + "'", h -> {
            for (VmRecord old : onHost(h, host)) {
                if (!keep.contains(old.name())) {
                    h.createUpdate("DELETE FROM vms WHERE name = :name AND host = :host")
                            .bind("name", old.name()).bind("host", host).execute();
                }
            }
            for (VmRecord v : vms) upsert(h, v);
            return null;
        });
    }

    @Override
    public boolean delete(String name) {
        return db.withHandle("deleting VM '" + name + "'", h -> h.createUpdate(
                "DELETE FROM vms WHERE name = :name").bind("name", name).execute()) > 0;
    }
}

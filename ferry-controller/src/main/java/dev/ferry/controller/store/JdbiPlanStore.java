package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link PlanStore} on the {@code plans} and {@code plan_items} tables through Jdbi, in the SQL
 * SQLite and PostgreSQL share. Times are epoch milliseconds like in the other stores.
 */
final class JdbiPlanStore implements PlanStore {
    private static final String PLAN_COLUMNS = "id, name, state, on_failure, definition_json, findings_json, predicted_total_ms, "
            + "error_message, created_at, started_at, finished_at";
    private static final String ITEM_COLUMNS = "plan_id, seq, vm, source_host, dest_host, wave, mode, state, request_json, "
            + "assessment_json, migration_id, rollback_migration_id, predicted_total_ms, predicted_downtime_ms, predicted_bytes, "
            + "measured_total_ms, measured_downtime_ms, measured_bytes, error";

    private static final RowMapper<PlanRecord> PLAN = (rs, ctx) -> new PlanRecord(rs.getString("id"), rs.getString("name"),
            rs.getString("state"), rs.getString("on_failure"), rs.getString("definition_json"), rs.getString("findings_json"),
            longOrNull(rs, "predicted_total_ms"), rs.getString("error_message"), Db.instant(rs, "created_at"),
            Db.instant(rs, "started_at"), Db.instant(rs, "finished_at"));

    private static final RowMapper<PlanItemRecord> ITEM = (rs, ctx) -> new PlanItemRecord(rs.getString("plan_id"), rs.getInt("seq"),
            rs.getString("vm"), rs.getString("source_host"), rs.getString("dest_host"), rs.getInt("wave"), rs.getString("mode"),
            rs.getString("state"), rs.getString("request_json"), rs.getString("assessment_json"), rs.getString("migration_id"),
            rs.getString("rollback_migration_id"),
            new PlanItemRecord.Figures(longOrNull(rs, "predicted_total_ms"), longOrNull(rs, "predicted_downtime_ms"),
                    longOrNull(rs, "predicted_bytes")),
            new PlanItemRecord.Figures(longOrNull(rs, "measured_total_ms"), longOrNull(rs, "measured_downtime_ms"),
                    longOrNull(rs, "measured_bytes")),
            rs.getString("error"));

    private final Db db;

    JdbiPlanStore(Db db) {
        this.db = db;
    }

    @Override
    public void create(PlanRecord p, List<PlanItemRecord> items) {
        Db.require(p, "plan");
        Db.require(p.id(), "plan id");
        Db.require(p.name(), "plan name");
        Db.require(p.state(), "plan state");
        Db.require(p.definitionJson(), "plan definition");
        db.inTransaction("saving plan '" + p.name() + "'", h -> {
            h.createUpdate("INSERT INTO plans (" + PLAN_COLUMNS + ") VALUES (:id, :name, :state, :onFailure, :definition, :findings, "
                            + ":predicted, :error, :created, :started, :finished)")
                    .bind("id", p.id()).bind("name", p.name()).bind("state", p.state()).bind("onFailure", p.onFailure())
                    .bind("definition", p.definitionJson()).bind("findings", p.findingsJson()).bind("predicted", p.predictedTotalMs())
                    .bind("error", p.errorMessage())
                    .bind("created", Db.toMillis(p.createdAt() == null ? Instant.ofEpochMilli(db.nowMillis()) : p.createdAt()))
                    .bind("started", Db.toMillis(p.startedAt())).bind("finished", Db.toMillis(p.finishedAt()))
                    .execute();
            for (PlanItemRecord i : items) {
                Update u = h.createUpdate("INSERT INTO plan_items (" + ITEM_COLUMNS + ") VALUES (:planId, :seq, :vm, :source, :dest, "
                        + ":wave, :mode, :state, :request, :assessment, :migrationId, :rollbackId, :pTotal, :pDown, :pBytes, "
                        + ":mTotal, :mDown, :mBytes, :error)");
                bindItem(u, i).bind("planId", p.id()).bind("seq", i.seq()).bind("vm", i.vm()).bind("source", i.source())
                        .bind("dest", i.destination()).bind("wave", i.wave()).bind("mode", i.mode()).bind("request", i.requestJson())
                        .bind("assessment", i.assessmentJson())
                        .bind("pTotal", i.predicted().totalMs()).bind("pDown", i.predicted().downtimeMs()).bind("pBytes", i.predicted().bytes())
                        .execute();
            }
            return null;
        });
    }

    @Override
    public Optional<PlanRecord> find(String id) {
        return db.withHandle("reading plan " + id, h -> h.createQuery("SELECT " + PLAN_COLUMNS + " FROM plans WHERE id = :id")
                .bind("id", id).map(PLAN).findOne());
    }

    @Override
    public List<PlanRecord> list() {
        return db.withHandle("listing plans", h -> h.createQuery("SELECT " + PLAN_COLUMNS + " FROM plans ORDER BY created_at DESC, id")
                .map(PLAN).list());
    }

    @Override
    public List<PlanRecord> inState(String state) {
        return db.withHandle("listing " + state + " plans", h -> h.createQuery(
                "SELECT " + PLAN_COLUMNS + " FROM plans WHERE state = :state ORDER BY created_at, id").bind("state", state).map(PLAN).list());
    }

    @Override
    public List<PlanItemRecord> items(String planId) {
        return db.withHandle("reading the items of plan " + planId, h -> h.createQuery(
                "SELECT " + ITEM_COLUMNS + " FROM plan_items WHERE plan_id = :id ORDER BY seq").bind("id", planId).map(ITEM).list());
    }

    @Override
    public void updatePlan(String id, String state, String errorMessage, Instant startedAt, Instant finishedAt) {
        Db.require(state, "plan state");
        int rows = db.withHandle("updating plan " + id, h -> h.createUpdate("UPDATE plans SET state = :state, error_message = :error, "
                        + "started_at = COALESCE(:started, started_at), finished_at = COALESCE(:finished, finished_at) WHERE id = :id")
                .bind("state", state).bind("error", errorMessage).bind("started", Db.toMillis(startedAt))
                .bind("finished", Db.toMillis(finishedAt)).bind("id", id).execute());
        if (rows == 0) throw new FerryException(ErrorCode.PLAN_NOT_FOUND, "no plan with id " + id);
    }

    @Override
    public void updateItem(PlanItemRecord i) {
        Db.require(i.state(), "plan item state");
        int rows = db.withHandle("updating item " + i.seq() + " of plan " + i.planId(), h -> bindItem(h.createUpdate(
                        "UPDATE plan_items SET state = :state, dest_host = :dest, migration_id = :migrationId, "
                                + "rollback_migration_id = :rollbackId, measured_total_ms = :mTotal, measured_downtime_ms = :mDown, "
                                + "measured_bytes = :mBytes, error = :error WHERE plan_id = :planId AND seq = :seq"), i)
                .bind("dest", i.destination()).bind("planId", i.planId()).bind("seq", i.seq()).execute());
        if (rows == 0) throw new FerryException(ErrorCode.PLAN_NOT_FOUND, "no item " + i.seq() + " in plan " + i.planId());
    }

    private static Update bindItem(Update u, PlanItemRecord i) {
        PlanItemRecord.Figures m = i.measured() == null ? PlanItemRecord.Figures.NONE : i.measured();
        return u.bind("state", i.state()).bind("migrationId", i.migrationId()).bind("rollbackId", i.rollbackMigrationId())
                .bind("mTotal", m.totalMs()).bind("mDown", m.downtimeMs()).bind("mBytes", m.bytes()).bind("error", i.error());
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}

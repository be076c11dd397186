package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link MigrationStore} on the {@code migrations} and {@code migration_events} tables through
 * Jdbi. It exists to keep the job SQL in one place and, above all, to turn the database's refusal
 * of a second unfinished job for a VM (a unique violation of the partial index) into
 * {@code VM_BUSY} naming the job that holds the VM. It never checks before inserting: the index
 * decides, so racing threads or controllers cannot both win.
 */
final class JdbiMigrationStore implements MigrationStore {
    private static final String COLUMNS = "id, vm, source_host, dest_host, mode, state, phase, params_json, stats_json, "
            + "result_json, error_code, error_message, abort_requested, created_at, updated_at, finished_at";

    private static final RowMapper<MigrationRecord> MAPPER = (rs, ctx) -> new MigrationRecord(
            rs.getString("id"), rs.getString("vm"), rs.getString("source_host"), rs.getString("dest_host"),
            rs.getString("mode"), rs.getString("state"), rs.getString("phase"), rs.getString("params_json"),
            rs.getString("stats_json"), rs.getString("result_json"), rs.getString("error_code"),
            rs.getString("error_message"), rs.getBoolean("abort_requested"), Db.instant(rs, "created_at"),
            Db.instant(rs, "updated_at"), Db.instant(rs, "finished_at"));

    private static final RowMapper<MigrationEventRecord> EVENT_MAPPER = (rs, ctx) -> new MigrationEventRecord(
            rs.getLong("seq"), rs.getString("migration_id"), Db.instant(rs, "at"), rs.getString("kind"),
            rs.getString("message"), rs.getString("data_json"));

    /** How often create retries when the job that held the VM finished while we looked it up. */
    private static final int CREATE_ATTEMPTS = 3;

    private final Db db;

    JdbiMigrationStore(Db db) {
        this.db = db;
    }

    @Override
    public MigrationRecord create(MigrationRecord m) {
        MigrationRecord row = normalize(m);
        for (int attempt = 1; ; attempt++) {
            try {
                db.jdbi.useHandle(h -> insert(h, row));
                return row;
            } catch (JdbiException e) {
                if (!DbErrors.isUniqueViolation(e)) throw DbErrors.translate("creating migration " + row.id(), e);
                Optional<MigrationRecord> holder = activeFor(row.vm());
                if (holder.isPresent() && !holder.get().id().equals(row.id())) {
                    throw new FerryException(ErrorCode.VM_BUSY, "VM '" + row.vm()
                            + "' is already being migrated by job " + holder.get().id());
                }
                if (find(row.id()).isPresent()) {
                    throw new FerryException(ErrorCode.INVALID_ARGUMENT, "Migration id " + row.id() + " already exists");
                }
                // The job that held the VM finished between our insert and the look-up: try again.
                if (attempt >= CREATE_ATTEMPTS) throw DbErrors.translate("creating migration " + row.id(), e);
            }
        }
    }

    private MigrationRecord normalize(MigrationRecord m) {
        Db.require(m, "migration");
        Db.require(m.id(), "migration id");
        Db.require(m.vm(), "migration vm");
        Db.require(m.sourceHost(), "migration sourceHost");
        Db.require(m.destHost(), "migration destHost");
        Db.require(m.mode(), "migration mode");
        Db.require(m.state(), "migration state");
        Instant created = m.createdAt() != null ? Db.truncate(m.createdAt()) : Instant.ofEpochMilli(db.nowMillis());
        Instant updated = m.updatedAt() != null ? Db.truncate(m.updatedAt()) : created;
        return new MigrationRecord(m.id(), m.vm(), m.sourceHost(), m.destHost(), m.mode(), m.state(), m.phase(),
                m.paramsJson(), m.statsJson(), m.resultJson(), m.errorCode(), m.errorMessage(), m.abortRequested(),
                created, updated, Db.truncate(m.finishedAt()));
    }

    private static void insert(Handle h, MigrationRecord m) {
        h.createUpdate("INSERT INTO migrations (" + COLUMNS + ") VALUES (:id, :vm, :sourceHost, :destHost, :mode, "
                        + ":state, :phase, :paramsJson, :statsJson, :resultJson, :errorCode, :errorMessage, "
                        + ":abortRequested, :createdAt, :updatedAt, :finishedAt)")
                .bind("id", m.id())
                .bind("vm", m.vm())
                .bind("sourceHost", m.sourceHost())
                .bind("destHost", m.destHost())
                .bind("mode", m.mode())
                .bind("state", m.state())
                .bind("phase", m.phase())
                .bind("paramsJson", m.paramsJson())
                .bind("statsJson", m.statsJson())
                .bind("resultJson", m.resultJson())
                .bind("errorCode", m.errorCode())
                .bind("errorMessage", m.errorMessage())
                .bind("abortRequested", m.abortRequested())
                .bind("createdAt", Db.toMillis(m.createdAt()))
                .bind("updatedAt", Db.toMillis(m.updatedAt()))
                .bind("finishedAt", Db.toMillis(m.finishedAt()))
                .execute();
    }

    @Override
    public Optional<MigrationRecord> find(String id) {
        return db.withHandle("reading migration " + id, h -> find(h, id));
    }

    private static Optional<MigrationRecord> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM migrations WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<MigrationRecord> list(int limit) {
        if (limit <= 0) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "limit must be positive, got " + limit);
        return db.withHandle("listing migrations", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM migrations ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public List<MigrationRecord> unfinished() {
        return db.withHandle("listing unfinished migrations", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM migrations WHERE finished_at IS NULL ORDER BY created_at, id")
                .map(MAPPER).list());
    }

    @Override
    public Optional<MigrationRecord> activeFor(String vm) {
        return db.withHandle("reading the active migration of VM '" + vm + "'", h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM migrations WHERE vm = :vm AND finished_at IS NULL")
                .bind("vm", vm).map(MAPPER).findOne());
    }

    @Override
    public void updatePhase(String id, String state, String phase) {
        Db.require(state, "state");
        update(id, "updating migration " + id, "UPDATE migrations SET state = :state, phase = :phase, "
                + "updated_at = :now WHERE id = :id", "state", state, "phase", phase);
    }

    @Override
    public void updateStats(String id, String statsJson) {
        update(id, "updating statistics of migration " + id, "UPDATE migrations SET stats_json = :stats, "
                + "updated_at = :now WHERE id = :id", "stats", statsJson);
    }

    @Override
    public void finish(String id, String state, String resultJson, String errorCode, String errorMessage) {
        Db.require(state, "state");
        update(id, "finishing migration " + id, "UPDATE migrations SET state = :state, result_json = :result, "
                        + "error_code = :errorCode, error_message = :errorMessage, updated_at = :now, "
                        + "finished_at = COALESCE(finished_at, :now) WHERE id = :id",
                "state", state, "result", resultJson, "errorCode", errorCode, "errorMessage", errorMessage);
    }

    /** Runs an UPDATE of one job binding {@code :id}, {@code :now} and the given name/value pairs. */
    private void update(String id, String action, String sql, String... namesAndValues) {
        long now = db.nowMillis();
        int rows = db.withHandle(action, h -> {
            var update = h.createUpdate(sql).bind("id", id).bind("now", now);
            for (int i = 0; i < namesAndValues.length; i += 2) update.bind(namesAndValues[i], namesAndValues[i + 1]);
            return update.execute();
        });
        if (rows == 0) throw notFound(id);
    }

    @Override
    public boolean requestAbort(String id) {
        long now = db.nowMillis();
        return db.inTransaction("requesting abort of migration " + id, h -> {
            int rows = h.createUpdate("UPDATE migrations SET abort_requested = :yes, updated_at = :now "
                            + "WHERE id = :id AND finished_at IS NULL")
                    .bind("yes", true).bind("now", now).bind("id", id).execute();
            if (rows > 0) return true;
            if (find(h, id).isEmpty()) throw notFound(id);
            return false;
        });
    }

    @Override
    public void addEvent(String id, String kind, String message, String dataJson) {
        Db.require(kind, "event kind");
        long now = db.nowMillis();
        db.inTransaction("recording an event of migration " + id, h -> {
            if (!exists(h, id)) throw notFound(id);
            return h.createUpdate("INSERT INTO migration_events (migration_id, at, kind, message, data_json) "
                            + "VALUES (:id, :at, :kind, :message, :data)")
                    .bind("id", id).bind("at", now).bind("kind", kind).bind("message", message).bind("data", dataJson)
                    .execute();
        });
    }

    @Override
    public List<MigrationEventRecord> events(String id) {
        return db.withHandle("reading events of migration " + id, h -> {
            if (!exists(h, id)) throw notFound(id);
            return h.createQuery("SELECT seq, migration_id, at, kind, message, data_json FROM migration_events "
                            + "WHERE migration_id = :id ORDER BY seq")
                    .bind("id", id).map(EVENT_MAPPER).list();
        });
    }

    private static boolean exists(Handle h, String id) {
        return h.createQuery("SELECT COUNT(*) FROM migrations WHERE id = :id").bind("id", id)
                .mapTo(Long.class).one() > 0;
    }

    private static FerryException notFound(String id) {
        return new FerryException(ErrorCode.MIGRATION_NOT_FOUND, "No migration with id " + id);
    }
}

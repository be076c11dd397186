package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.qemu.qmp.QmpClient;
import java.util.Set;

/**
 * Translates QEMU's {@code query-migrate} answer into Ferry's {@link MigrationStats}, field by field
 * from the QMP JSON (never from human-readable output). Kept apart from the commands that start or
 * stop a migration because both ends, and every poll of the controller, read progress the same way.
 */
public final class MigrationStatsReader {
    /** Statuses in which a migration is no longer running (or never ran). */
    private static final Set<String> IDLE = Set.of("none", "completed", "failed", "cancelled");

    private MigrationStatsReader() {}

    static MigrationStats read(QmpClient qmp) {
        return fromQueryMigrate(qmp.execute("query-migrate"));
    }

    static boolean isActive(MigrationStats stats) {
        return !IDLE.contains(stats.status());
    }

    static boolean isPostcopy(MigrationStats stats) {
        return stats.status().startsWith("postcopy");
    }

    static MigrationStats none() {
        return new MigrationStats("none", 0, null, null, 0, 0, 0, 0, 0, 0, 0.0, 0, null);
    }

    /** A fresh QEMU answers {@code {}}: no migration has run yet, reported as status {@code none}. */
    public static MigrationStats fromQueryMigrate(JsonNode r) {
        String status = r.path("status").asText("none");
        if (status.isEmpty() || status.equals("none")) return none();
        JsonNode ram = r.path("ram");
        return new MigrationStats(
                status,
                r.path("total-time").asLong(0),
                optionalLong(r, "expected-downtime"),
                optionalLong(r, "downtime"),
                r.path("setup-time").asLong(0),
                ram.path("transferred").asLong(0),
                ram.path("remaining").asLong(0),
                ram.path("total").asLong(0),
                ram.path("dirty-pages-rate").asLong(0),
                ram.path("page-size").asLong(0),
                ram.path("mbps").asDouble(0.0),
                ram.path("dirty-sync-count").asLong(0),
                r.hasNonNull("error-desc") ? r.get("error-desc").asText() : null,
                r.hasNonNull("cpu-throttle-percentage") ? r.get("cpu-throttle-percentage").asInt() : null,
                ram.path("postcopy-bytes").asLong(0) > 0 ? ram.get("postcopy-bytes").asLong() : null,
                r.path("xbzrle-cache").hasNonNull("encoding-rate") ? r.path("xbzrle-cache").get("encoding-rate").asDouble() : null,
                xbzrle(r.path("xbzrle-cache")));
    }

    /** QEMU reports {@code xbzrle-cache} only while XBZRLE is on. */
    private static MigrationStats.Xbzrle xbzrle(JsonNode c) {
        if (c.isMissingNode() || !c.has("pages")) return null;
        return new MigrationStats.Xbzrle(c.path("pages").asLong(0), c.path("bytes").asLong(0), c.path("overflow").asLong(0),
                c.path("cache-miss").asLong(0));
    }

    private static Long optionalLong(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asLong() : null;
    }
}

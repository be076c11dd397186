package dev.ferry.bench.live;

import dev.ferry.api.migration.MigrationStats;
import java.util.Map;

/**
 * A migration policy the benchmark runs against Ferry's, driving QEMU directly: which capabilities
 * and parameters it sets before {@code migrate}, and what it does on each reading of
 * {@code query-migrate} while the transfer runs (raise the downtime limit, give up).
 */
public interface BaselinePolicy {
    String name();

    /** QEMU capabilities for both ends. */
    Map<String, Boolean> capabilities();

    /** QEMU parameters for the source, set before {@code migrate}. */
    Map<String, Object> parameters();

    /** What to do now, {@code elapsedMs} after {@code migrate}. */
    Step onReading(long elapsedMs, MigrationStats stats);

    /** One decision: a new downtime limit (null: keep), or abort. */
    record Step(Long downtimeLimitMs, boolean abort, String why) {
        public static final Step NONE = new Step(null, false, null);
    }

    /** QEMU as it comes: no capability changed, no parameter set (downtime-limit 300 ms, max-bandwidth 128 MiB/s). */
    final class QemuDefaults implements BaselinePolicy {
        @Override
        public String name() { return "qemu-defaults"; }

        @Override
        public Map<String, Boolean> capabilities() { return Map.of(); }

        @Override
        public Map<String, Object> parameters() { return Map.of(); }

        @Override
        public Step onReading(long elapsedMs, MigrationStats stats) { return Step.NONE; }
    }
}

package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationStats;
import org.junit.jupiter.api.Test;

/** query-migrate answers as QEMU 10 gives them, and the wire format that AgentClient reads back. */
class MigrationStatsReaderTest {
    @Test
    void aFreshQemuReportsNone() throws Exception {
        MigrationStats s = MigrationStatsReader.fromQueryMigrate(Json.mapper().readTree("{}"));

        assertThat(s).isEqualTo(MigrationStatsReader.none());
        assertThat(MigrationStatsReader.isActive(s)).isFalse();
    }

    @Test
    void readsAnActiveMigration() throws Exception {
        MigrationStats s = MigrationStatsReader.fromQueryMigrate(Json.mapper().readTree("""
                {"status": "active", "total-time": 1200, "expected-downtime": 42, "setup-time": 7,
                 "ram": {"transferred": 1000, "remaining": 2000, "total": 268435456, "dirty-pages-rate": 640,
                         "page-size": 4096, "mbps": 812.5, "dirty-sync-count": 3, "duplicate": 9}}"""));

        assertThat(s).isEqualTo(new MigrationStats("active", 1200, 42L, null, 7, 1000, 2000, 268435456, 640, 4096, 812.5, 3, null));
        assertThat(MigrationStatsReader.isActive(s)).isTrue();
    }

    @Test
    void readsThrottlePostcopyAndXbzrleDetails() throws Exception {
        MigrationStats s = MigrationStatsReader.fromQueryMigrate(Json.mapper().readTree("""
                {"status": "postcopy-active", "total-time": 9000, "cpu-throttle-percentage": 30,
                 "ram": {"transferred": 5, "remaining": 6, "total": 7, "postcopy-bytes": 4096, "dirty-sync-count": 3},
                 "xbzrle-cache": {"cache-size": 67108864, "bytes": 2048000, "pages": 1000, "cache-miss": 70,
                                  "cache-miss-rate": 0.1, "encoding-rate": 2.5, "overflow": 3000}}"""));

        assertThat(s.throttlePercent()).isEqualTo(30);
        assertThat(s.postcopyBytes()).isEqualTo(4096L);
        assertThat(s.xbzrleEncodingRate()).isEqualTo(2.5);
        assertThat(s.xbzrle()).isEqualTo(new MigrationStats.Xbzrle(1000, 2048000, 3000, 70));
        // 1000 pages at 2048 bytes and 3000 sent whole: (2048000 + 3000 * 4096) / (4000 * 4096)
        assertThat(s.xbzrle().resendRatio(4096, 1024)).isCloseTo(0.875, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.xbzrle().resendRatio(4096, 5000)).as("too few pages to judge").isNull();
        assertThat(s.isPostcopy()).isTrue();
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(s), MigrationStats.class)).isEqualTo(s);
    }

    @Test
    void readsAFailure() throws Exception {
        MigrationStats s = MigrationStatsReader.fromQueryMigrate(Json.mapper().readTree(
                "{\"status\": \"failed\", \"error-desc\": \"Unable to write to socket: Connection reset by peer\"}"));

        assertThat(s.status()).isEqualTo("failed");
        assertThat(s.error()).isEqualTo("Unable to write to socket: Connection reset by peer");
        assertThat(s.isFinished()).isTrue();
    }

    @Test
    void theWireFormatReadsBackWithTheStrictSharedMapper() throws Exception {
        MigrationStats s = new MigrationStats("completed", 1500, null, 12L, 3, 5, 0, 7, 0, 4096, 900.0, 4, null);

        String json = Json.mapper().writeValueAsString(s);

        assertThat(json).doesNotContain("finished");
        assertThat(Json.mapper().readValue(json, MigrationStats.class)).isEqualTo(s);
    }
}

package dev.ferry.api.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fields the migration modes added are optional on the wire: JSON written before they existed
 * still reads (with the strict shared mapper), and everything written now reads back the same.
 */
class MigrationModesJsonTest {
    @Test
    void aRequestWithoutTheNewFieldsIsALiveMigrationWithDefaults() throws Exception {
        MigrationRequest r = Json.mapper().readValue("{\"vm\":\"vm1\",\"to\":\"host-b\",\"maxDowntimeMs\":50}", MigrationRequest.class);

        assertThat(r).isEqualTo(new MigrationRequest("vm1", "host-b", 50, null, null));
        assertThat(r.modeOrDefault()).isEqualTo("live");
        assertThat(r.postcopyAllowed()).isFalse();
        assertThat(r.throttleAllowed()).isFalse();
        assertThat(r.keepsSource()).isFalse();
        assertThat(Json.mapper().writeValueAsString(r)).isEqualTo("{\"vm\":\"vm1\",\"to\":\"host-b\",\"maxDowntimeMs\":50}");
    }

    @Test
    void theNewRequestFieldsRoundTrip() throws Exception {
        MigrationRequest r = Json.mapper().readValue("{\"vm\":\"vm1\",\"to\":\"host-b\",\"maxDowntimeMs\":50,\"bandwidthMiBps\":20,"
                + "\"mode\":\"COLD\",\"allowPostcopy\":true,\"allowThrottle\":true,\"maxDurationSeconds\":300,\"keepSource\":true}",
                MigrationRequest.class);

        MigrationRequest back = Json.mapper().readValue(Json.mapper().writeValueAsString(r), MigrationRequest.class);

        assertThat(back).isEqualTo(r);
        assertThat(back.mode()).as("modes are lower case").isEqualTo("cold");
        assertThat(back.bandwidthBytesPerSec()).isEqualTo(20L << 20);
    }

    @Test
    void resultsStatsAndRequestsRoundTripOldAndNew() throws Exception {
        MigrationResult old = Json.mapper().readValue("{\"totalTimeMs\":10,\"transferredBytes\":5,\"iterations\":2}", MigrationResult.class);
        assertThat(old).isEqualTo(new MigrationResult(10, null, null, 5, 2, null, null));
        MigrationResult full = new MigrationResult(10, 3L, 4L, 5, 2, 1L, 9L, "warm", "one-pass", 300L, 290L, 280L, 0L, 0);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(full), MigrationResult.class)).isEqualTo(full);

        OutgoingRequest o = new OutgoingRequest("m", "tcp:h:1", true, "h", 5L, 50, Map.of("xbzrle", true),
                Map.of("xbzrle-cache-size", 1L << 26));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(o), OutgoingRequest.class)).isEqualTo(o);
        assertThat(new OutgoingRequest("m", "tcp:h:1", false, null, null, null, null).parameters()).isEmpty();

    }

    @Test
    void aDirtyRateWithoutTheResidentSizeReadsAsUnknownAndTheNewFieldRoundTrips() throws Exception {
        DirtyRate old = Json.mapper().readValue("{\"bytesPerSec\":1048576,\"calcTimeMs\":500,\"samplePages\":4096,"
                + "\"memoryBytes\":268435456}", DirtyRate.class);
        assertThat(old).isEqualTo(new DirtyRate(1L << 20, 500, 4096, 256L << 20));
        assertThat(old.residentBytes()).isNull();
        assertThat(Json.mapper().writeValueAsString(old)).as("unknown is left out, as an older agent wrote it").doesNotContain("resident");

        DirtyRate now = new DirtyRate(1L << 20, 500, 4096, 256L << 20, 190L << 20);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(now), DirtyRate.class)).isEqualTo(now);
    }
}

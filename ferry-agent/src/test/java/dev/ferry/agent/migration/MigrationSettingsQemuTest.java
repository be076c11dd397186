package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.qemu.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link MigrationSettings} against the installed QEMU (a bare {@code -machine none} process, no
 * guest): its capability list is exactly QEMU's, its defaults are exactly what a fresh QEMU reports,
 * QEMU accepts the complete form, and the form undoes what an earlier migration of the same process
 * set. Fails when a QEMU upgrade adds, drops or re-defaults a setting, so the list cannot go stale.
 */
@Tag("qemu")
class MigrationSettingsQemuTest {
    private Path dir;
    private Process qemu;
    private QmpClient qmp;

    @BeforeEach
    void startQemu() throws Exception {
        dir = TestDirs.create("settings");
        Path socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder("qemu-system-x86_64", "-machine", "none", "-nodefaults", "-display", "none", "-S",
                "-qmp", "unix:" + socket + ",server=on,wait=off").redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(50);
        qmp = QmpClient.connect(socket, Duration.ofSeconds(10));
    }

    @AfterEach
    void stopQemu() {
        if (qmp != null) qmp.close();
        if (qemu != null) qemu.destroyForcibly();
        TestDirs.deleteQuietly(dir);
    }

    @Test
    void theCapabilityListAndTheDefaultsAreExactlyQemus() {
        assertThat(capabilities().keySet()).containsExactlyElementsOf(MigrationSettings.CAPABILITIES);
        assertThat(capabilities()).doesNotContainValue(true);
        Map<String, Object> fresh = parameters();
        assertThat(fresh.remove("tls-authz")).as("reported, but never set (see PARAMETER_DEFAULTS)").isEqualTo("");
        assertThat(fresh.keySet()).as("every other parameter QEMU reports is reset").containsExactlyInAnyOrderElementsOf(
                MigrationSettings.PARAMETER_DEFAULTS.keySet());
        assertThat(fresh).isEqualTo(MigrationSettings.PARAMETER_DEFAULTS);
    }

    @Test
    void theCompleteFormUndoesWhatAnEarlierMigrationSet() {
        MigrationSettings earlier = MigrationSettings.outgoing(new OutgoingRequest("m1", "tcp:127.0.0.1:1", false, null, 1L << 20, 20,
                Map.of("postcopy-ram", true, "auto-converge", true, "xbzrle", true, "return-path", true,
                        "pause-before-switchover", true, "events", true),
                Map.of("cpu-throttle-initial", 60L, "throttle-trigger-threshold", 100L, "xbzrle-cache-size", 16L << 20,
                        "max-postcopy-bandwidth", 1L << 20)));
        earlier.applyTo(qmp);
        qmp.execute("migrate-set-parameters", Map.of("max-cpu-throttle", 70, "multifd-channels", 8, "tls-hostname", "old"));
        assertThat(capabilities()).containsEntry("postcopy-ram", true).containsEntry("auto-converge", true);

        MigrationSettings.outgoing(new OutgoingRequest("m2", "tcp:127.0.0.1:1", false, null, null, null, Map.of())).applyTo(qmp);

        assertThat(capabilities()).doesNotContainValue(true);
        Map<String, Object> after = parameters();
        after.remove("tls-authz");
        assertThat(after).isEqualTo(MigrationSettings.PARAMETER_DEFAULTS);
    }

    private Map<String, Boolean> capabilities() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (JsonNode c : qmp.execute("query-migrate-capabilities")) out.put(c.path("capability").asText(), c.path("state").asBoolean());
        return out;
    }

    private Map<String, Object> parameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = qmp.execute("query-migrate-parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isBoolean() ? v.asBoolean() : v.isNumber() ? (Object) v.asLong() : v.asText());
        }
        return out;
    }
}

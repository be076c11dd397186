package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.qemu.qmp.FakeQmpPeer;
import dev.ferry.qemu.qmp.QmpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact QMP form of {@link MigrationSettings} as a QEMU receives it: every capability with a
 * value (the asked-for ones on, all others off) and every resettable parameter, on both ends, so no
 * setting of an earlier migration of the same QEMU survives into the next.
 */
class MigrationSettingsTest {
    private FakeQmpPeer peer;
    private QmpClient qmp;

    @BeforeEach
    void connect() {
        peer = FakeQmpPeer.start().on("migrate-set-capabilities", FakeQmpPeer.Reply.ok("{}"))
                .on("migrate-set-parameters", FakeQmpPeer.Reply.ok("{}"));
        qmp = QmpClient.connect(peer.socket(), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        qmp.close();
        peer.close();
    }

    @Test
    void aSourceWithoutAllowancesSwitchesOffEveryCapabilityAndResetsEveryParameter() {
        MigrationSettings.outgoing(new OutgoingRequest("m1", "tcp:127.0.0.1:4444", false, null, null, null, Map.of())).applyTo(qmp);

        List<FakeQmpPeer.Command> sent = sent();
        assertThat(sent).extracting(FakeQmpPeer.Command::name).containsExactly("migrate-set-capabilities", "migrate-set-parameters");
        assertThat(capabilities(sent.get(0))).containsOnlyKeys(MigrationSettings.CAPABILITIES).doesNotContainValue(true);
        assertThat(sent.get(0).arguments().path("capabilities")).extracting(c -> c.path("capability").asText())
                .as("in QEMU's order").containsExactlyElementsOf(MigrationSettings.CAPABILITIES);
        Map<String, Object> params = parameters(sent.get(1));
        assertThat(params).containsOnlyKeys(MigrationSettings.PARAMETER_DEFAULTS.keySet());
        assertThat(params).as("set at all, it makes QEMU's TLS server refuse every client").doesNotContainKey("tls-authz");
        assertThat(params).containsEntry("tls-creds", "").containsEntry("tls-hostname", "")
                .containsEntry("max-bandwidth", 128L << 20).containsEntry("downtime-limit", 300L)
                .containsEntry("max-postcopy-bandwidth", 0L).containsEntry("xbzrle-cache-size", 64L << 20)
                .containsEntry("cpu-throttle-initial", 20L).containsEntry("cpu-throttle-increment", 10L)
                .containsEntry("throttle-trigger-threshold", 50L).containsEntry("max-cpu-throttle", 99L)
                .containsEntry("cpu-throttle-tailslow", false).containsEntry("multifd-channels", 2L)
                .containsEntry("vcpu-dirty-limit", 1L).containsEntry("mode", "normal");
    }

    @Test
    void aSourceGetsWhatItAsksForAndOnlyThat() {
        MigrationSettings.outgoing(new OutgoingRequest("m2", "tcp:127.0.0.1:4444", true, "host-b", 20L << 20, 25,
                Map.of("postcopy-ram", true, "auto-converge", true), Map.of("cpu-throttle-initial", 60L, "max-postcopy-bandwidth", 20L << 20)))
                .applyTo(qmp);

        List<FakeQmpPeer.Command> sent = sent();
        Map<String, Boolean> caps = capabilities(sent.get(0));
        assertThat(on(caps)).containsExactly("auto-converge", "postcopy-ram");
        assertThat(parameters(sent.get(1))).containsEntry("tls-creds", MigrationQmp.TLS_ID).containsEntry("tls-hostname", "host-b")
                .containsEntry("max-bandwidth", 20L << 20).containsEntry("downtime-limit", 25L)
                .containsEntry("cpu-throttle-initial", 60L).containsEntry("max-postcopy-bandwidth", 20L << 20)
                .containsEntry("cpu-throttle-increment", 10L).containsEntry("xbzrle-cache-size", 64L << 20);
    }

    @Test
    void aDestinationGetsTheSourcesCapabilitiesAndDefaultParametersWithServerTls() {
        MigrationSettings.incoming(new IncomingRequest("m3", null, true, Map.of("postcopy-ram", true))).applyTo(qmp);

        List<FakeQmpPeer.Command> sent = sent();
        assertThat(on(capabilities(sent.get(0)))).containsExactly("postcopy-ram");
        Map<String, Object> params = parameters(sent.get(1));
        Map<String, Object> expected = new LinkedHashMap<>(MigrationSettings.PARAMETER_DEFAULTS);
        expected.put("tls-creds", MigrationQmp.TLS_ID);
        assertThat(params).isEqualTo(expected);
    }

    @Test
    void bothEndsOfOneMigrationGetTheSameCapabilities() {
        Map<String, Boolean> asked = Map.of("xbzrle", true, "postcopy-ram", true);
        MigrationSettings out = MigrationSettings.outgoing(new OutgoingRequest("m4", "tcp:h:1", false, null, null, null, asked));
        MigrationSettings in = MigrationSettings.incoming(new IncomingRequest("m4", null, false, asked));
        assertThat(out.capabilities()).isEqualTo(in.capabilities()).hasSize(MigrationSettings.CAPABILITIES.size());
    }

    @Test
    void theDiskMirrorsPauseIsAddedToTheCompleteForm() {
        MigrationSettings s = MigrationSettings.outgoing(new OutgoingRequest("m5", "tcp:h:1", false, null, null, null, Map.of()))
                .withCapabilities(Map.of("pause-before-switchover", true, "events", true));
        assertThat(on(s.capabilities())).containsExactly("events", "pause-before-switchover");
        assertThat(s.capabilities()).hasSize(MigrationSettings.CAPABILITIES.size());
    }

    @Test
    void anUnknownCapabilityIsRefusedByName() {
        assertThatThrownBy(() -> MigrationSettings.outgoing(new OutgoingRequest("m6", "tcp:h:1", false, null, null, null,
                Map.of("compress", true)))).isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("'compress'");
                });
        assertThatThrownBy(() -> MigrationSettings.incoming(new IncomingRequest("m6", null, false, Map.of("postcopy", true))))
                .isInstanceOf(FerryException.class).hasMessageContaining("'postcopy'");
    }

    @Test
    void aRefusalByQemuNamesWhatWasOn() {
        peer.on("migrate-set-capabilities", FakeQmpPeer.Reply.error("GenericError", "Postcopy is not supported"));
        MigrationSettings s = MigrationSettings.incoming(new IncomingRequest("m7", null, false, Map.of("postcopy-ram", true)));
        assertThatThrownBy(() -> s.applyTo(qmp)).isInstanceOf(FerryException.class)
                .hasMessageContaining("[postcopy-ram]").hasMessageContaining("Postcopy is not supported");
        assertThat(peer.receivedCommandNames()).doesNotContain("migrate-set-parameters");
    }

    private static List<String> on(Map<String, Boolean> caps) {
        return caps.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    private List<FakeQmpPeer.Command> sent() {
        return peer.receivedCommands().stream().filter(c -> !c.name().equals("qmp_capabilities")).toList();
    }

    private static Map<String, Boolean> capabilities(FakeQmpPeer.Command c) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (JsonNode e : c.arguments().path("capabilities")) out.put(e.path("capability").asText(), e.path("state").asBoolean());
        return out;
    }

    private static Map<String, Object> parameters(FakeQmpPeer.Command c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.arguments().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isBoolean() ? v.asBoolean() : v.isNumber() ? (Object) v.asLong() : v.asText());
        }
        return out;
    }
}

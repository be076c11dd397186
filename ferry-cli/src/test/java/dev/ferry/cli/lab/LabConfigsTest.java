package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.api.json.Json;
import dev.ferry.controller.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabConfigsTest {
    @TempDir
    Path tmp;

    @Test
    void agentConfigIsAcceptedByTheAgentAndSharesOnePool() {
        LabLayout layout = new LabLayout(tmp);
        AddressPlan plan = AddressPlan.netns();
        for (AddressPlan.LabHost h : plan.hosts()) {
            Path file = layout.agentConfig(h.name());
            LabConfigs.write(file, LabConfigs.agentYaml(layout, h));
            AgentConfig c = AgentConfig.load(file);
            assertThat(c.name()).isEqualTo(h.name());
            assertThat(c.listenHost()).isEqualTo(h.apiIp());
            assertThat(c.listenPort()).isZero();
            assertThat(c.migrationAddress()).isEqualTo(h.migrationIp());
            assertThat(c.accelerator()).isEqualTo("tcg");
            assertThat(c.stateDir()).isEqualTo(layout.hostState(h.name()).toString());
            assertThat(c.tlsDir()).isEqualTo(layout.identity(h.name()).toString());
            assertThat(c.pools()).singleElement().satisfies(p -> {
                assertThat(p.isShared()).isTrue();
                assertThat(p.path()).isEqualTo(layout.shared().toString());
            });
            assertThat(c.networks()).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo("user"));
        }
        assertThat(layout.hostState("host-a")).isNotEqualTo(layout.hostState("host-b"));
    }

    @Test
    void serverConfigIsAcceptedByTheControllerAndListensOnLoopback() {
        LabLayout layout = new LabLayout(tmp);
        LabConfigs.write(layout.serverConfig(), LabConfigs.serverYaml(layout));
        ServerConfig c = ServerConfig.load(layout.serverConfig());
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.stateDir()).isEqualTo(layout.controllerState().toString());
        assertThat(c.tlsDir()).isEqualTo(layout.identity("controller").toString());
        assertThat(c.hosts()).isEmpty();
    }

    @Test
    void cliConfigHasTheKeysTheCliReads() throws Exception {
        LabLayout layout = new LabLayout(tmp);
        JsonNode n = Json.yaml().readTree(LabConfigs.cliYaml(layout, "https://127.0.0.1:4242"));
        assertThat(n.path("server").asText()).isEqualTo("https://127.0.0.1:4242");
        assertThat(n.path("tlsDir").asText()).isEqualTo(layout.clientIdentity().toString());
        assertThat(n.size()).isEqualTo(2);
    }
}

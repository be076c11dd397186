package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.api.json.Json;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ferry assess} and the fleet verbs of {@code ferry host} against two real agents and a real
 * controller (no guest is booted: the VM is only defined, so it is assessed for a cold move): exit 0
 * when movable, 4 with the blocker when not, JSON for scripts, and clear refusals of bad input.
 */
@Timeout(180)
class AssessCommandTest {
    static Path dir;
    static TestPki pki;
    static TestAgent one;
    static TestAgent two;
    static FerryController controller;

    @BeforeAll
    static void setUp() {
        dir = TestDirs.create("assess-cli");
        pki = TestPki.create(dir.resolve("pki"));
        one = TestAgent.start(pki, "host-1");
        two = TestAgent.start(pki, "host-2");
        controller = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("ctl").toString(),
                pki.hostDir("controller").toString(), null, List.of(new ServerConfig.Host("host-1", one.url().toString()),
                new ServerConfig.Host("host-2", two.url().toString())), 1));
        one.client().define(TestGuest.spec("ok", 128, "", TestGuest.createRawDisk(one.poolDir(), "ok.img", 16)));
    }

    @AfterAll
    static void tearDown() {
        if (controller != null) controller.close();
        if (one != null) one.close();
        if (two != null) two.close();
        TestDirs.deleteQuietly(dir);
    }

    static String[] args(String... verb) {
        List<String> a = new java.util.ArrayList<>(List.of(verb));
        a.addAll(List.of("--server", "https://127.0.0.1:" + controller.port(), "--tls-dir", pki.clientDir().toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void aMovableVmExitsZeroAndABlockedOneWithTheBlockersCode() throws Exception {
        Cli.Result ok = Cli.run(args("assess", "ok", "--to", "host-2")).assertOk();
        assertThat(ok.out()).contains("ok: host-1 -> host-2: movable", "POOL_SPACE", "copied to pool 'default' of host-2");

        Cli.run(args("host", "maintenance", "on", "host-2", "--reason", "kernel update")).assertOk();
        try {
            Cli.Result blocked = Cli.run(args("assess", "ok", "--to", "host-2"));
            assertThat(blocked.exit()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(blocked.out()).contains("BLOCKED", "BLOCKER", "HOST_IN_MAINTENANCE", "kernel update");
            Cli.Result json = Cli.run(args("assess", "ok", "--to", "host-2", "-o", "json"));
            assertThat(json.exit()).isEqualTo(ExitCodes.CONFLICT);
            JsonNode a = Json.mapper().readTree(json.out());
            assertThat(a.path("movable").asBoolean()).isFalse();
            assertThat(a.path("findings").get(0).path("code").asText()).isEqualTo("HOST_IN_MAINTENANCE");
            Cli.Result ranked = Cli.run(args("host", "recommend", "ok")).assertOk();
            assertThat(ranked.out()).contains("host-2", "0.0", "HOST_IN_MAINTENANCE");
            Cli.Result show = Cli.run(args("host", "show", "host-2")).assertOk();
            assertThat(Json.mapper().readTree(show.out()).path("maintenance").path("enabled").asBoolean()).isTrue();
        } finally {
            Cli.run(args("host", "maintenance", "off", "host-2")).assertOk();
        }
        assertThat(Cli.run(args("assess", "ok", "--to", "host-2")).exit()).isZero();
    }

    @Test
    void badInputIsRefusedWithItsCode() {
        Cli.run(args("assess", "nope", "--to", "host-2")).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");
        Cli.run(args("assess", "ok", "--to", "host-9")).assertError(ExitCodes.NOT_FOUND, "HOST_NOT_FOUND");
        Cli.run(args("assess", "ok", "--to", "host-2", "--mode", "teleport")).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run(args("host", "maintenance", "sideways", "host-2")).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run(args("host", "maintenance", "on", "host-9")).assertError(ExitCodes.NOT_FOUND, "HOST_NOT_FOUND");
        Cli.run(args("host", "probe", "host-1", "host-1")).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
    }
}

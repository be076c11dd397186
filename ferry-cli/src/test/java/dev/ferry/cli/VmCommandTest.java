package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.agent.testing.SerialLog;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry vm ...} end to end against an in-process agent with a real guest, as a script would
 * use it: what is printed, and the exit codes (0 ok, 2 usage or invalid input, 3 not found,
 * 4 conflict, 5 unreachable), with every error as one line {@code error: ... [CODE]}.
 */
@Tag("qemu")
@Timeout(180)
class VmCommandTest {
    static TestAgent agent;
    static String config;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = TestAgent.start();
        Path cliYaml = tmp.resolve("cli.yaml");
        Files.writeString(cliYaml, "agent: " + agent.url() + "\ntlsDir: " + agent.pki().clientDir() + "\n");
        config = cliYaml.toString();
    }

    @AfterAll
    static void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void defineStartListShowStopDelete() throws Exception {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "cli.img", 32);
        Path spec = writeSpec(TestGuest.spec("cli-vm", 128, "ferry.mem=32 ferry.rate=10 ferry.disk=vda", disk));

        Cli.Result defined = Cli.run("vm", "define", spec.toString(), "--config", config).assertOk();
        assertThat(defined.out().lines().toList()).hasSize(2);
        assertThat(defined.out()).startsWith("NAME").contains("cli-vm", "host-1", "shutoff", "128 MiB");

        Cli.Result started = Cli.run("vm", "start", "cli-vm", "--config", config).assertOk();
        assertThat(started.out()).contains("cli-vm", "running");
        SerialLog serial = agent.serialLog("cli-vm");
        serial.awaitLine("^FERRY-GUEST-READY ", Duration.ofSeconds(60));

        List<VmInfo> listed = Json.mapper().readValue(Cli.run("vm", "list", "-o", "json", "--config", config).assertOk().out(),
                new TypeReference<List<VmInfo>>() {});
        assertThat(listed).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("cli-vm");
            assertThat(v.state()).isEqualTo(VmState.RUNNING);
            assertThat(v.pid()).isNotNull();
            assertThat(v.spec().disks().get(0).path()).isEqualTo(disk.toString());
        });

        VmInfo shown = Json.mapper().readValue(Cli.run("vm", "show", "cli-vm", "-o", "json", "--config", config).assertOk().out(),
                VmInfo.class);
        assertThat(shown.state()).isEqualTo(VmState.RUNNING);
        assertThat(shown.spec().uuid()).isNotBlank();
        Cli.Result table = Cli.run("vm", "show", "cli-vm", "--config", config).assertOk();
        assertThat(table.out()).contains("running", "\"memoryMiB\" : 128");

        // Flags instead of the config file work the same.
        Cli.run("vm", "list", "--agent", agent.url().toString(), "--tls-dir", agent.pki().clientDir().toString()).assertOk();

        Cli.Result stopped = Cli.run("vm", "stop", "cli-vm", "--timeout", "30", "--config", config).assertOk();
        assertThat(stopped.out()).contains("cli-vm", "shutoff");
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).isTrue();
        assertThat(Cli.run("vm", "list", "--config", config).assertOk().out()).contains("shutoff");

        assertThat(Cli.run("vm", "delete", "cli-vm", "--config", config).assertOk().out().strip()).isEqualTo("deleted cli-vm");
        assertThat(Cli.run("vm", "list", "-o", "json", "--config", config).assertOk().out().strip()).isEqualTo("[ ]");
        assertThat(disk).exists();
    }

    @Test
    void refusalsExitWithTheirCodeAndOneErrorLine() throws Exception {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "busy.img", 16);
        Path good = writeSpec(TestGuest.spec("busy", 96, "", disk));

        // 2: usage errors and invalid input
        Cli.Result unknownOption = Cli.run("vm", "list", "--bogus", "--config", config);
        assertThat(unknownOption.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'").doesNotContain("\tat ");
        assertThat(unknownOption.out()).isEmpty();
        Cli.run("vm", "list", "-o", "yaml", "--config", config).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run("vm", "define", writeSpec(TestGuest.spec("Bad_Name", 96, "")).toString(), "--config", config)
                .assertError(ExitCodes.USAGE, "INVALID_SPEC");
        Path vmdk = tmp.resolve("vmdk.yaml");
        Files.writeString(vmdk, Files.readString(good).replace("format: \"raw\"", "format: \"vmdk\""));
        assertThat(Files.readString(vmdk)).contains("vmdk");
        Cli.run("vm", "define", vmdk.toString(), "--config", config).assertError(ExitCodes.USAGE, "UNKNOWN_FORMAT");
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(good).replace("memoryMiB:", "memoryMB:"));
        Cli.run("vm", "define", typo.toString(), "--config", config).assertError(ExitCodes.USAGE, "INVALID_SPEC");
        Cli.run("vm", "define", tmp.resolve("missing.yaml").toString(), "--config", config).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        assertThat(agent.client().list()).as("nothing was defined").isEmpty();

        // 3: not found
        Cli.run("vm", "show", "ghost", "--config", config).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");
        Cli.run("vm", "start", "ghost", "--config", config).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");

        // 4: conflicts with the VM's state
        Cli.run("vm", "define", good.toString(), "--config", config).assertOk();
        Cli.run("vm", "define", good.toString(), "--config", config).assertError(ExitCodes.CONFLICT, "VM_EXISTS");
        Cli.run("vm", "pause", "busy", "--config", config).assertError(ExitCodes.CONFLICT, "VM_NOT_RUNNING");
        Cli.run("vm", "start", "busy", "--config", config).assertOk();
        Cli.run("vm", "start", "busy", "--config", config).assertError(ExitCodes.CONFLICT, "VM_RUNNING");
        Cli.run("vm", "delete", "busy", "--config", config).assertError(ExitCodes.CONFLICT, "VM_RUNNING");
        Cli.run("vm", "kill", "busy", "--config", config).assertOk();
        Cli.run("vm", "delete", "busy", "--config", config).assertOk();

        // 5: the agent cannot be reached (nothing listens on port 1)
        Cli.run("vm", "list", "--agent", "https://127.0.0.1:1", "--tls-dir", agent.pki().clientDir().toString())
                .assertError(ExitCodes.UNAVAILABLE, "AGENT_UNREACHABLE");
        // a client certificate of another CA is refused by the agent
        Cli.run("vm", "list", "--agent", agent.url().toString(), "--tls-dir", agent.pki().foreignClientDir().toString())
                .assertError(ExitCodes.FAILED, "UNAUTHENTICATED");
    }

    private static Path writeSpec(VmSpec spec) throws Exception {
        Path file = tmp.resolve(spec.name() + ".yaml");
        Files.writeString(file, Json.yaml().writeValueAsString(spec));
        return file;
    }
}

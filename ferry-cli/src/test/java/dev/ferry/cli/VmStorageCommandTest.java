package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.storage.VmDisks;
import dev.ferry.api.vm.VmInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage verbs of {@code ferry vm} against an in-process agent with two pools, on stopped VMs
 * (no guest boots): disks, move-disk, clone, template, deploy, and their refusals' exit codes.
 */
@Timeout(120)
class VmStorageCommandTest {
    static TestAgent agent;
    static Path fast;
    static String config;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void startAgent() throws Exception {
        fast = TestDirs.create("fast");
        agent = TestAgent.start(TestPki.create(tmp.resolve("pki")), "host-1", c -> {
            List<AgentConfig.Pool> pools = new ArrayList<>(c.pools());
            pools.add(new AgentConfig.Pool("fast", fast.toString(), false));
            return new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(), c.probeGuest(),
                    c.migrationAddress(), pools, c.networks(), c.uefiFirmware());
        });
        Path cliYaml = tmp.resolve("cli.yaml");
        Files.writeString(cliYaml, "agent: " + agent.url() + "\ntlsDir: " + agent.pki().clientDir() + "\n");
        config = cliYaml.toString();
    }

    @AfterAll
    static void closeAgent() {
        if (agent != null) agent.close();
        TestDirs.deleteQuietly(fast);
    }

    @Test
    void movesClonesTemplatesAndDeploysStoppedVms() throws Exception {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "base.img", 16);
        agent.client().define(TestGuest.spec("base", 96, "ferry.disk=vda", disk));

        assertThat(Cli.run("vm", "disks", "base", "--config", config).assertOk().out())
                .startsWith("DISK").contains("data", "raw", "default", "16 MiB", disk.toString());

        Cli.Result moved = Cli.run("vm", "move-disk", "base", "data", "--pool", "fast", "--format", "qcow2", "--config", config).assertOk();
        assertThat(moved.out()).contains("moved disk data of base", "(qcow2)", "old image deleted");
        VmDisks now = Json.mapper().readValue(Cli.run("vm", "disks", "base", "-o", "json", "--config", config).assertOk().out(), VmDisks.class);
        assertThat(now.disks().get(0).pool()).isEqualTo("fast");
        assertThat(now.disks().get(0).format()).isEqualTo(DiskFormat.QCOW2);
        assertThat(disk).doesNotExist();

        VmInfo clone = Json.mapper().readValue(Cli.run("vm", "clone", "base", "copy", "--linked", "-o", "json", "--config", config)
                .assertOk().out(), new TypeReference<List<VmInfo>>() {}).get(0);
        assertThat(clone.name()).isEqualTo("copy");
        assertThat(clone.spec().uuid()).isNotEqualTo(agent.client().show("base").spec().uuid());

        assertThat(Cli.run("vm", "template", "base", "--config", config).assertOk().out()).contains("base is a template");
        Cli.run("vm", "start", "base", "--config", config).assertError(ExitCodes.CONFLICT, "INVALID_STATE");
        assertThat(Cli.run("vm", "deploy", "base", "web1", "--config", config).assertOk().out()).contains("web1", "shutoff");
        assertThat(Cli.run("vm", "deploy", "base", "web2", "--linked", "--config", config).assertOk().out()).contains("web2");
        assertThat(agent.client().list()).extracting(VmInfo::name).contains("base", "copy", "web1", "web2");

        Cli.run("vm", "deploy", "copy", "web3", "--config", config).assertError(ExitCodes.CONFLICT, "INVALID_STATE");
        Cli.run("vm", "deploy", "base", "web1", "--config", config).assertError(ExitCodes.CONFLICT, "VM_EXISTS");
        Cli.run("vm", "move-disk", "copy", "data", "--pool", "nowhere", "--config", config).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run("vm", "move-disk", "copy", "nodisk", "--pool", "fast", "--config", config).assertError(ExitCodes.NOT_FOUND, "NOT_FOUND");
        Cli.run("vm", "clone", "ghost", "x", "--config", config).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");
    }
}

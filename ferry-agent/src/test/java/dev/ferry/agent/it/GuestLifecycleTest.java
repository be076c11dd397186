package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.SerialLog;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The foundation's main path with a real guest: define the test guest with a raw data disk from
 * the pool, start it, see it boot and work on its serial console, list it, and shut it down through
 * the ACPI power button.
 */
@Tag("qemu")
@Timeout(180)
class GuestLifecycleTest {
    static final Duration BOOT = Duration.ofSeconds(60);
    static final String PARAMS = "ferry.mem=32 ferry.rate=10 ferry.disk=vda";

    TestAgent agent;
    AgentClient client;

    @BeforeEach
    void startAgent() {
        agent = TestAgent.start();
        client = agent.client();
    }

    @AfterEach
    void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void definedGuestBootsWorksAndShutsDownCleanly() {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "data.img", 64);
        VmInfo defined = client.define(TestGuest.spec("vm1", 128, PARAMS, disk));
        assertThat(defined.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(defined.spec().uuid()).as("uuid generated at define time").isNotBlank();
        assertThat(client.define(TestGuest.spec("idle", 96, "")).state()).isEqualTo(VmState.SHUTOFF);

        VmInfo started = client.start("vm1");
        assertThat(started.state()).isEqualTo(VmState.RUNNING);
        assertThat(started.pid()).isNotNull();
        long pid = started.pid();
        assertThat(QemuReaper.isRunning(pid)).isTrue();

        SerialLog serial = agent.serialLog("vm1");
        assertThat(serial.awaitLine("^FERRY-GUEST-READY ", BOOT)).contains("mem=32", "disk=vda");
        long hb = serial.awaitHeartbeatAbove(0, Duration.ofSeconds(10));
        serial.awaitHeartbeatAbove(hb, Duration.ofSeconds(10));
        assertThat(serial.awaitLine("^MEMORY-OK ", Duration.ofSeconds(15))).contains("corrupt=0");
        serial.awaitLine("^DISK-OK ", Duration.ofSeconds(15));
        assertThat(serial.contains("^(MEMORY-BAD|MEMORY-CORRUPT|MEMORY-ERROR|DISK-CORRUPT|DISK-ERROR|FERRY-GUEST-WARN)"))
                .as("error lines in the serial log:\n%s", serial.tail(30)).isFalse();

        assertThat(states(client)).containsExactlyInAnyOrderEntriesOf(Map.of("vm1", VmState.RUNNING, "idle", VmState.SHUTOFF));
        VmInfo shown = client.show("vm1");
        assertThat(shown.pid()).isEqualTo(pid);
        assertThat(shown.qemuStatus()).isEqualTo("running");
        assertThat(shown.host()).isEqualTo("host-1");

        VmInfo stopped = client.stop("vm1", new StopRequest(30, false));
        assertThat(stopped.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(stopped.pid()).isNull();
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).as("clean guest shutdown:\n%s", serial.tail(10)).isTrue();
        assertThat(serial.contains("^DISK-STOP .*bad=0")).as("disk worker stopped cleanly:\n%s", serial.tail(10)).isTrue();
        assertThat(QemuReaper.isRunning(pid)).as("QEMU pid %s gone", pid).isFalse();
        assertThat(agent.qemuPids()).isEmpty();
        assertThat(states(client)).containsExactlyInAnyOrderEntriesOf(Map.of("vm1", VmState.SHUTOFF, "idle", VmState.SHUTOFF));
    }

    @Test
    void closingTheFixtureKillsGuestsLeftRunning() {
        client.define(TestGuest.spec("orphan", 96, ""));
        long pid = client.start("orphan").pid();
        Path dir = agent.dir();
        assertThat(QemuReaper.pidsUnder(dir)).containsExactly(pid);

        agent.close();
        agent = null;

        assertThat(QemuReaper.isRunning(pid)).isFalse();
        assertThat(QemuReaper.pidsUnder(dir)).isEmpty();
        assertThat(Files.exists(dir)).isEqualTo(dev.ferry.agent.testing.TestDirs.keep());
    }

    static Map<String, VmState> states(AgentClient client) {
        return client.list().stream().collect(Collectors.toMap(VmInfo::name, VmInfo::state));
    }
}

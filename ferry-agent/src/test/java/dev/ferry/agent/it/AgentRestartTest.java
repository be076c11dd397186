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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guests do not depend on the agent's lifetime: a restarted agent finds the running guest again
 * (same QEMU process, the guest never stopped) and can manage it as if it had started it itself.
 */
@Tag("qemu")
@Timeout(180)
class AgentRestartTest {
    TestAgent agent;

    @AfterEach
    void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void guestKeepsRunningAcrossAnAgentRestartAndStaysManageable() {
        agent = TestAgent.start();
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "data.img", 64);
        agent.client().define(TestGuest.spec("survivor", 128, GuestLifecycleTest.PARAMS, disk));
        long pid = agent.client().start("survivor").pid();
        SerialLog serial = agent.serialLog("survivor");
        serial.awaitLine("^FERRY-GUEST-READY ", GuestLifecycleTest.BOOT);
        long before = serial.awaitHeartbeatAbove(0, Duration.ofSeconds(10));

        agent.restart();
        AgentClient client = agent.client();

        VmInfo after = client.show("survivor");
        assertThat(after.state()).isEqualTo(VmState.RUNNING);
        assertThat(after.pid()).as("the same QEMU process").isEqualTo(pid);
        assertThat(agent.qemuPids()).containsExactly(pid);
        long hb = serial.awaitHeartbeatAbove(before + 5, Duration.ofSeconds(15));
        assertThat(serial.contains("^FERRY-GUEST-READY .*")).isTrue();
        assertThat(serial.lines().stream().filter(l -> l.startsWith("FERRY-GUEST-READY")).count())
                .as("the guest did not reboot").isEqualTo(1);
        assertThat(GuestLifecycleTest.states(client)).containsEntry("survivor", VmState.RUNNING);

        assertThat(client.pause("survivor").state()).isEqualTo(VmState.PAUSED);
        assertThat(client.show("survivor").qemuStatus()).isEqualTo("paused");
        assertThat(client.resume("survivor").state()).isEqualTo(VmState.RUNNING);
        serial.awaitHeartbeatAbove(hb, Duration.ofSeconds(15));

        VmInfo stopped = client.stop("survivor", new StopRequest(30, false));
        assertThat(stopped.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).as("clean shutdown:\n%s", serial.tail(10)).isTrue();
        assertThat(QemuReaper.isRunning(pid)).isFalse();
    }
}

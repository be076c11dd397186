package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.SerialLog;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Operations on a running guest and the refusals that protect it: a second start and a delete of a
 * running VM are refused (and change nothing), pause really stops the guest and resume lets it go
 * on, kill ends QEMU at once, and a guest that ignores the ACPI power button is killed when the
 * stop timeout passes.
 */
@Tag("qemu")
@Timeout(180)
class VmControlTest {
    static TestAgent agent;
    static AgentClient client;

    @BeforeAll
    static void startAgent() {
        agent = TestAgent.start();
        client = agent.client();
    }

    @AfterAll
    static void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void runningVmRefusesSecondStartAndDeleteAndPausesAndResumes() {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "control.img", 32);
        client.define(TestGuest.spec("control", 128, GuestLifecycleTest.PARAMS, disk));
        long pid = client.start("control").pid();
        SerialLog serial = agent.serialLog("control");
        serial.awaitLine("^FERRY-GUEST-READY ", GuestLifecycleTest.BOOT);

        FerryException again = catchThrowableOfType(FerryException.class, () -> client.start("control"));
        assertThat(again.code()).isEqualTo(ErrorCode.VM_RUNNING);
        assertThat(again.getMessage()).contains("'control'", "already running");
        FerryException delete = catchThrowableOfType(FerryException.class, () -> client.delete("control"));
        assertThat(delete.code()).isEqualTo(ErrorCode.VM_RUNNING);
        assertThat(delete.getMessage()).contains("stop it first");
        assertThat(agent.qemuPids()).as("still exactly one QEMU").containsExactly(pid);
        assertThat(agent.vmDir("control").resolve("spec.json")).exists();

        VmInfo paused = client.pause("control");
        assertThat(paused.state()).isEqualTo(VmState.PAUSED);
        assertThat(paused.pid()).isEqualTo(pid);
        long frozen = serial.latestHeartbeat();
        sleep(Duration.ofMillis(1500)); // 7 heartbeat periods
        assertThat(serial.latestHeartbeat()).as("no heartbeat while paused").isEqualTo(frozen);
        assertThat(client.show("control").qemuStatus()).isEqualTo("paused");

        assertThat(client.resume("control").state()).isEqualTo(VmState.RUNNING);
        serial.awaitHeartbeatAbove(frozen + 2, Duration.ofSeconds(15));

        assertThat(client.stop("control", new StopRequest(30, false)).state()).isEqualTo(VmState.SHUTOFF);
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).isTrue();
        client.delete("control");
        assertThat(agent.vmDir("control")).doesNotExist();
        assertThat(disk).as("delete keeps disk images").exists();
    }

    @Test
    void killEndsQemuAtOnce() {
        client.define(TestGuest.spec("victim", 96, ""));
        long pid = client.start("victim").pid();
        SerialLog serial = agent.serialLog("victim");
        serial.awaitLine("^FERRY-GUEST-READY ", GuestLifecycleTest.BOOT);

        VmInfo killed = client.kill("victim");

        assertThat(killed.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(QemuReaper.isRunning(pid)).isFalse();
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).as("the guest was not asked").isFalse();
        assertThat(client.show("victim").state()).isEqualTo(VmState.SHUTOFF);
        client.start("victim"); // a killed VM starts again
        assertThat(client.kill("victim").state()).isEqualTo(VmState.SHUTOFF);
    }

    @Test
    void stopKillsAGuestThatIgnoresThePowerButtonOnceTheTimeoutPasses() {
        client.define(TestGuest.spec("deaf", 96, ""));
        long pid = client.start("deaf").pid();
        SerialLog serial = agent.serialLog("deaf");
        serial.awaitLine("^FERRY-GUEST-READY ", GuestLifecycleTest.BOOT);
        client.pause("deaf"); // a paused guest cannot react to the ACPI power button

        long t0 = System.nanoTime();
        VmInfo stopped = client.stop("deaf", new StopRequest(2, false));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(stopped.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(QemuReaper.isRunning(pid)).isFalse();
        assertThat(took).as("waited for the timeout, then killed").isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
        assertThat(serial.contains("^FERRY-GUEST-POWEROFF")).isFalse();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

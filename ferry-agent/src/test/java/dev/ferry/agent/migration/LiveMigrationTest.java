package dev.ferry.agent.migration;

import static dev.ferry.agent.migration.TwoHosts.assertGuestContinues;
import static dev.ferry.agent.migration.TwoHosts.awaitFinished;
import static dev.ferry.agent.migration.TwoHosts.awaitTransferring;
import static dev.ferry.agent.migration.TwoHosts.report;
import static dev.ferry.agent.migration.TwoHosts.startMigration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.vm.VmState;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Live migration between two real agents with real QEMU (TCG) and the test guest, driven through
 * the agent API as the controller drives it: the happy path both ways over TLS, and the failures a
 * migration must survive with the guest still running on the source (destination killed, cancel,
 * destination of another CA, destination dead after completion).
 */
@Tag("qemu")
class LiveMigrationTest {
    private static final long SLOW = 4L << 20; // 4 MiB/s: the transfer of ~80 MiB of used memory lasts several seconds

    private static TwoHosts hosts;
    private static TestAgent a;
    private static TestAgent b;

    @BeforeAll
    static void startAgents() {
        hosts = TwoHosts.start();
        a = hosts.a;
        b = hosts.b;
    }

    @AfterEach
    void killGuests() {
        hosts.killAllQemu();
    }

    @AfterAll
    static void stopAgents() {
        if (hosts != null) hosts.close();
    }

    @Test
    void migratesOverTlsAndBack() {
        GuestHealth onA = hosts.boot(a, "vm-roundtrip");

        startMigration(a, b, "vm-roundtrip", true, null);
        MigrationStats there = awaitFinished(a, "vm-roundtrip");
        report("a->b tls", there);

        assertThat(there.status()).as("source stats: %s", there).isEqualTo("completed");
        assertThat(b.client().show("vm-roundtrip").state()).isEqualTo(VmState.RUNNING);
        assertThat(a.client().show("vm-roundtrip").state()).isEqualTo(VmState.MIGRATED);
        assertThat(b.client().migrationStats("vm-roundtrip").status()).isEqualTo("completed");
        assertCode(() -> b.client().discard("vm-roundtrip", false), ErrorCode.INVALID_STATE);
        assertCode(() -> b.client().finishSource("vm-roundtrip"), ErrorCode.INVALID_STATE);
        GuestHealth onB = assertGuestContinues(b, "vm-roundtrip", onA);

        a.client().finishSource("vm-roundtrip");
        assertCode(() -> a.client().show("vm-roundtrip"), ErrorCode.VM_NOT_FOUND);
        assertNoQemu(a, "vm-roundtrip");

        startMigration(b, a, "vm-roundtrip", true, null, Map.of("xbzrle", true, "auto-converge", true));
        MigrationStats back = awaitFinished(b, "vm-roundtrip");
        report("b->a tls xbzrle auto-converge", back);
        assertThat(back.status()).as("source stats: %s", back).isEqualTo("completed");
        assertGuestContinues(a, "vm-roundtrip", onB);
        b.client().finishSource("vm-roundtrip");
        assertNoQemu(b, "vm-roundtrip");
    }

    @Test
    void aDestinationKilledDuringTransferLeavesTheSourceRunningAndARetrySucceeds() {
        GuestHealth before = hosts.boot(a, "vm-killed");
        startMigration(a, b, "vm-killed", true, SLOW);
        awaitTransferring(a, "vm-killed", 1L << 20);

        long pid = b.client().show("vm-killed").pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL

        MigrationStats failed = awaitFinished(a, "vm-killed");
        report("a->b, destination killed", failed);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).isNotBlank();
        assertThat(a.client().show("vm-killed").state()).isEqualTo(VmState.RUNNING);
        GuestHealth after = assertGuestContinues(a, "vm-killed", before);

        b.client().discard("vm-killed", false);
        assertCode(() -> b.client().show("vm-killed"), ErrorCode.VM_NOT_FOUND);

        startMigration(a, b, "vm-killed", true, null);
        MigrationStats retry = awaitFinished(a, "vm-killed");
        report("a->b tls, retry", retry);
        assertThat(retry.status()).as("retry: %s", retry).isEqualTo("completed");
        assertGuestContinues(b, "vm-killed", after);
        a.client().finishSource("vm-killed");
        b.client().discard("vm-killed", true);
        assertNoQemu(b, "vm-killed");
        assertNoQemu(a, "vm-killed");
    }

    @Test
    void cancelDuringTransferKeepsTheSourceRunning() {
        GuestHealth before = hosts.boot(a, "vm-cancel");
        startMigration(a, b, "vm-cancel", false, SLOW);
        awaitTransferring(a, "vm-cancel", 1L << 20);
        OutgoingRequest again = new OutgoingRequest("m-2", "tcp:127.0.0.1:1", false, null, null, null, Map.of());
        assertCode(() -> a.client().migrate("vm-cancel", again), ErrorCode.VM_BUSY);

        MigrationStats cancelled = a.client().cancelMigration("vm-cancel");

        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(a.client().show("vm-cancel").state()).isEqualTo(VmState.RUNNING);
        assertGuestContinues(a, "vm-cancel", before);
        assertThat(a.client().cancelMigration("vm-cancel").status()).as("cancel is idempotent").isEqualTo("cancelled");
        b.client().discard("vm-cancel", false);
        assertCode(() -> b.client().show("vm-cancel"), ErrorCode.VM_NOT_FOUND);
        assertNoQemu(b, "vm-cancel");
    }

    @Test
    void aDestinationWithACertificateOfAnotherCaIsRefused() {
        TestPki otherPki = TestPki.create(TestDirs.create("pki"));
        try (TestAgent impostor = TestAgent.start(otherPki, "host-c", TwoHosts.sharedPool(hosts.shared))) {
            GuestHealth before = hosts.boot(a, "vm-impostor");
            startMigration(a, impostor, "vm-impostor", true, null);

            MigrationStats refused = awaitFinished(a, "vm-impostor");

            report("a->impostor tls", refused);
            assertThat(refused.status()).isEqualTo("failed");
            assertThat(a.client().show("vm-impostor").state()).isEqualTo(VmState.RUNNING);
            assertGuestContinues(a, "vm-impostor", before);
            impostor.client().discard("vm-impostor", false);
            assertNoQemu(impostor, "vm-impostor");
        } finally {
            TestDirs.deleteQuietly(otherPki.dir());
        }
    }

    @Test
    void theSourceResumesWhenTheDestinationDiesAfterCompletion() {
        GuestHealth before = hosts.boot(a, "vm-recover");
        assertCode(() -> a.client().finishSource("vm-recover"), ErrorCode.INVALID_STATE);
        assertCode(() -> a.client().recoverSource("vm-recover"), ErrorCode.INVALID_STATE);

        startMigration(a, b, "vm-recover", false, null);
        MigrationStats done = awaitFinished(a, "vm-recover");
        report("a->b plain", done);
        assertThat(done.status()).isEqualTo("completed");
        ProcessHandle dest = ProcessHandle.of(b.client().show("vm-recover").pid()).orElseThrow();
        dest.destroyForcibly();
        // The dead destination must have let go of the shared image before the source may take it back.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !dest.isAlive());

        assertThat(a.client().recoverSource("vm-recover").state()).isEqualTo(VmState.RUNNING);
        assertGuestContinues(a, "vm-recover", before);
        b.client().discard("vm-recover", false);
        assertNoQemu(b, "vm-recover");
    }

    /** No QEMU of this host runs VM {@code name} any more. */
    private static void assertNoQemu(TestAgent host, String name) {
        assertThat(QemuReaper.pidsUnder(host.dir())).as("QEMU processes of %s on %s", name, host.config().name())
                .noneMatch(pid -> QemuReaper.cmdline(pid).contains("guest=" + name + ","));
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code())
                .as("error code of: %s", e.getMessage()).isEqualTo(code));
    }
}

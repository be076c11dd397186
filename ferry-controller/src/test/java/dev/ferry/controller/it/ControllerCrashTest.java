package dev.ferry.controller.it;

import static dev.ferry.controller.it.Cluster.HOST_A;
import static dev.ferry.controller.it.Cluster.HOST_B;
import static dev.ferry.controller.it.Cluster.MIGRATION_TIMEOUT;
import static dev.ferry.controller.it.Cluster.assertControllerPlaces;
import static dev.ferry.controller.it.Cluster.assertGuestContinues;
import static dev.ferry.controller.it.Cluster.assertHeartbeatAdvances;
import static dev.ferry.controller.it.Cluster.awaitFinished;
import static dev.ferry.controller.it.Cluster.awaitHealth;
import static dev.ferry.controller.it.Cluster.awaitTransferring;
import static dev.ferry.controller.it.Cluster.describe;
import static dev.ferry.controller.it.Cluster.hasEvent;
import static dev.ferry.controller.it.Cluster.name;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.store.TestDatabases;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The controller is SIGKILLed in the middle of a live migration and started again on the same
 * database: the new controller must settle the orphaned job from what the agents report, so the
 * guest runs on exactly one host (never both, never none), and the VM can be migrated again.
 * The controller runs as a process of its own ({@link ControllerProcess}); the agents and their
 * guests, like real ones, outlive it.
 */
@Tag("qemu")
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.Kind.class)
class ControllerCrashTest {
    @Parameter
    TestDatabases.Kind kind;

    /** One cluster (agents and database) per database kind; each test starts its own controller processes. */
    static Cluster cluster;

    /** Shows what the controller processes logged when a test fails, before their directory is removed. */
    @RegisterExtension
    final TestExecutionExceptionHandler controllerLogs = (context, failure) -> {
        if (cluster != null) System.err.println(cluster.processLogs());
        throw failure;
    };

    @BeforeParameterizedClassInvocation
    static void startCluster(TestDatabases.Kind databaseKind) {
        cluster = Cluster.start(databaseKind);
    }

    @AfterParameterizedClassInvocation
    static void stopCluster() {
        if (cluster != null) cluster.close();
        cluster = null;
    }

    @AfterEach
    void stopControllersAndEmptyTheHosts() {
        cluster.stopControllerProcesses();
        cluster.removeProxies();
        cluster.removeAllVms();
    }

    @Test
    void killedDuringTransferTheRestartedControllerRollsBackToTheSource() {
        String vm = "crash-transfer";
        GuestHealth booted = cluster.boot(cluster.a, vm, ControllerLiveMigrationTest.LOADED);
        ControllerProcess first = cluster.startControllerProcess();
        ControllerClient api1 = cluster.api(first.port());
        MigrationView started = api1.startMigration(new MigrationRequest(vm, HOST_B, null, 2, null));
        awaitTransferring(api1, started.id(), cluster.a, vm, 1L << 20);

        first.kill();

        // Without a controller QEMU streams on: both halves exist, the guest runs on the source.
        assertThat(cluster.a.client().migrationStats(vm).status()).isEqualTo("active");
        assertThat(cluster.a.client().show(vm).state()).isEqualTo(VmState.RUNNING);
        assertThat(cluster.b.client().show(vm).state()).isEqualTo(VmState.INCOMING);

        ControllerProcess second = cluster.startControllerProcess();
        ControllerClient api2 = cluster.api(second.port());
        MigrationView settled = awaitFinished(api2, started.id(), Duration.ofSeconds(60));

        assertThat(settled.state()).as(describe(settled)).isEqualTo("failed");
        assertThat(settled.errorCode()).isEqualTo(ErrorCode.MIGRATION_FAILED.name());
        assertThat(settled.errorMessage()).contains("controller stopped during phase transfer", "rolled back", HOST_A);
        assertThat(hasEvent(settled, "phase", "reconcile")).as(describe(settled)).isTrue();
        assertThat(cluster.a.client().migrationStats(vm).status()).as("the stream was cancelled").isEqualTo("cancelled");
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertHeartbeatAdvances(cluster.a, vm, booted.heartbeat());
        GuestHealth survived = assertGuestContinues(cluster.a, vm, booted, 0);
        assertControllerPlaces(api2, vm, HOST_A);

        MigrationView again = awaitFinished(api2, api2.startMigration(new MigrationRequest(vm, HOST_B, null, null, null)).id(),
                MIGRATION_TIMEOUT);
        assertThat(again.state()).as(describe(again)).isEqualTo("succeeded");
        assertGuestContinues(cluster.b, vm, survived, 0);
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertControllerPlaces(api2, vm, HOST_B);
    }

    /**
     * The hard case: QEMU has handed the guest over (the source is paused for good, the destination
     * runs it) but the controller dies before it removed the source copy. The controller is frozen
     * (SIGSTOP) as soon as the job reports phase switchover or verify, the agents are asked where
     * the guest is, then it is SIGKILLed. A slow heartbeat (1 s) keeps the verify phase open for up
     * to a second, so the freeze lands in it nearly always; a run that misses it is an ordinary
     * successful migration and is tried again in the other direction.
     */
    @Test
    void killedAfterQemuHandedTheGuestOverTheRestartedControllerCompletesTheMove() {
        String vm = "crash-handover";
        GuestHealth health = cluster.boot(cluster.a, vm, "ferry.mem=64 ferry.rate=20 ferry.hb=1000");
        ControllerProcess controller = cluster.startControllerProcess();
        ControllerClient api = cluster.api(controller.port());
        TestAgent from = cluster.a;
        TestAgent to = cluster.b;
        boolean caught = false;
        for (int attempt = 1; attempt <= 4 && !caught; attempt++) {
            MigrationView started = api.startMigration(new MigrationRequest(vm, name(to), null, null, null));
            MigrationView seen = awaitPhaseOrEnd(api, started.id(), Set.of("switchover", "verify"));
            if (seen.isFinished()) {
                assertThat(seen.state()).as(describe(seen)).isEqualTo("succeeded");
                System.out.printf("attempt %d (%s): the job finished between two polls%n", attempt, kind);
            } else {
                controller.freeze();
                Cluster.sleep(1000); // let a request the controller sent just before settle on the agent
                Optional<VmState> source = state(from, vm);
                Optional<VmState> destination = state(to, vm);
                controller.kill();
                caught = source.equals(Optional.of(VmState.MIGRATED));
                System.out.printf("attempt %d (%s): froze the controller in phase %s; source %s, destination %s%n", attempt,
                        kind, seen.phase(), source, destination);
                if (caught) {
                    assertThat(destination).as("destination after QEMU's handover").contains(VmState.RUNNING);
                }

                controller = cluster.startControllerProcess();
                api = cluster.api(controller.port());
                MigrationView settled = awaitFinished(api, started.id(), Duration.ofSeconds(60));
                assertThat(settled.state()).as(describe(settled)).isEqualTo("succeeded");
                if (caught) {
                    assertThat(hasEvent(settled, "phase", "reconcile")).as(describe(settled)).isTrue();
                    assertThat(hasEvent(settled, "info", "completed by reconciliation")).as(describe(settled)).isTrue();
                }
            }
            cluster.assertRunsOnlyOn(vm, to);
            assertControllerPlaces(api, vm, name(to));
            long beat = health.heartbeat();
            health = awaitHealth(to, vm, g -> g.heartbeat() != null && g.heartbeat() > beat + 1 && g.memoryPasses() != null,
                    Duration.ofSeconds(30));
            TestAgent arrived = to;
            to = from;
            from = arrived;
        }
        assertThat(caught).as("the controller was frozen between QEMU's handover and the end of the job").isTrue();

        // The settled VM moves on like any other.
        MigrationView again = awaitFinished(api, api.startMigration(new MigrationRequest(vm, name(to), null, null, null)).id(),
                MIGRATION_TIMEOUT);
        assertThat(again.state()).as(describe(again)).isEqualTo("succeeded");
        cluster.assertRunsOnlyOn(vm, to);
        assertControllerPlaces(api, vm, name(to));
        long beat = health.heartbeat();
        GuestHealth last = awaitHealth(to, vm, g -> g.heartbeat() != null && g.heartbeat() > beat + 1, Duration.ofSeconds(30));
        assertThat(last.ok()).isTrue();
    }

    /**
     * The controller loses the source's agent right after QEMU handed the guest over (a network
     * partition: the agent and its guests run on) and gets it back a few seconds later. Meanwhile
     * it can neither confirm nor finish the move. It must not kill the destination, which holds the
     * only running copy of the guest, and it must not end the job with a stale copy left behind:
     * once the agent answers again, the job is settled and the guest runs on exactly one host. The
     * partition starts when the job reports phase switchover or verify, as in the test above.
     */
    @Test
    void losingTheSourceAgentAfterTheHandoverNeverLeavesTheGuestNowhere() {
        String vm = "agent-outage";
        GuestHealth health = cluster.boot(cluster.a, vm, "ferry.mem=64 ferry.rate=20 ferry.hb=1000");
        TcpProxy toA = cluster.proxy(cluster.a);
        TcpProxy toB = cluster.proxy(cluster.b);
        ControllerProcess controller = cluster.startControllerProcess();
        ControllerClient api = cluster.api(controller.port());
        TestAgent from = cluster.a;
        TestAgent to = cluster.b;
        MigrationView started = null;
        TcpProxy cut = null;
        for (int attempt = 1; attempt <= 4 && started == null; attempt++) {
            MigrationView m = api.startMigration(new MigrationRequest(vm, name(to), null, null, null));
            MigrationView seen = awaitPhaseOrEnd(api, m.id(), Set.of("switchover", "verify"));
            if (!seen.isFinished()) {
                cut = from == cluster.a ? toA : toB;
                cut.cut();
                started = seen;
                System.out.printf("attempt %d (%s): cut the controller off %s in phase %s%n", attempt, kind, name(from), seen.phase());
                break;
            }
            assertThat(seen.state()).as(describe(seen)).isEqualTo("succeeded");
            System.out.printf("attempt %d (%s): the job finished between two polls%n", attempt, kind);
            long beat = health.heartbeat();
            health = awaitHealth(to, vm, g -> g.heartbeat() != null && g.heartbeat() > beat, Duration.ofSeconds(30));
            TestAgent arrived = to;
            to = from;
            from = arrived;
        }
        assertThat(started).as("the source agent was cut off between QEMU's handover and the end of the job").isNotNull();
        try {
            Cluster.sleep(4000); // the controller runs into the partition
            assertThat(state(to, vm)).as("the destination's copy while the controller cannot reach the source: %s",
                    describe(api.migration(started.id()))).contains(VmState.RUNNING);
        } finally {
            cut.restore();
        }
        MigrationView settled = awaitFinished(api, started.id(), Duration.ofSeconds(60));
        System.out.println("settled after the partition (" + kind + "): " + describe(settled));

        assertThat(settled.state()).as(describe(settled)).isEqualTo("succeeded");
        cluster.assertRunsOnlyOn(vm, to);
        long beat = health.heartbeat();
        GuestHealth after = awaitHealth(to, vm, g -> g.heartbeat() != null && g.heartbeat() > beat + 1, Duration.ofSeconds(30));
        assertThat(after.ok()).isTrue();
        awaitControllerPlaces(api, vm, name(to));
    }

    /** Polls the job as fast as the API answers until it is in one of {@code phases} or has finished. */
    private static MigrationView awaitPhaseOrEnd(ControllerClient api, String id, Set<String> phases) {
        long deadline = System.nanoTime() + MIGRATION_TIMEOUT.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished() || phases.contains(v.phase())) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("job stuck: " + describe(v));
            Cluster.sleep(2);
        }
    }

    /** The controller's inventory catches up with an agent that was away within a few sync rounds. */
    private static void awaitControllerPlaces(ControllerClient api, String vm, String host) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                assertControllerPlaces(api, vm, host);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) throw e;
                Cluster.sleep(200);
            }
        }
    }

    private static Optional<VmState> state(TestAgent host, String vm) {
        try {
            return Optional.of(host.client().show(vm).state());
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_FOUND) return Optional.empty();
            throw e;
        }
    }
}

package dev.ferry.controller.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.CloseAll;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Two in-process agents (host-a, host-b) of one cluster PKI and an in-process controller on a fresh
 * SQLite database, for the migration-mode tests. Each agent has a pool {@code shared} (one
 * directory both mark shared) and a pool {@code local} of its own, so a test can put a VM's disk on
 * shared storage or on storage only its host sees. {@link #close()} stops the controller, kills
 * every QEMU of both agents and deletes every directory, whether the test passed or not.
 */
final class ModesCluster implements AutoCloseable {
    static final String HOST_A = "host-a";
    static final String HOST_B = "host-b";

    final TestPki pki;
    final Path dir;
    final Path shared;
    final TestAgent a;
    final TestAgent b;
    final FerryController controller;
    final ControllerClient api;

    private ModesCluster(TestPki pki, Path dir, Path shared, TestAgent a, TestAgent b, FerryController controller) {
        this.pki = pki;
        this.dir = dir;
        this.shared = shared;
        this.a = a;
        this.b = b;
        this.controller = controller;
        this.api = new ControllerClient(pki.clientSsl(), URI.create("https://127.0.0.1:" + controller.port()));
    }

    static ModesCluster start() {
        Path dir = TestDirs.create("modes");
        Path shared = TestDirs.create("shared");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        TestAgent a = null;
        TestAgent b = null;
        try {
            a = TestAgent.start(pki, HOST_A, pools(shared));
            b = TestAgent.start(pki, HOST_B, pools(shared));
            DatabaseConfig db = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
            FerryController c = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("controller").toString(),
                    pki.hostDir("controller").toString(), new ServerConfig.Database(db.jdbcUrl(), db.user(), db.password()),
                    List.of(new ServerConfig.Host(HOST_A, a.url().toString()), new ServerConfig.Host(HOST_B, b.url().toString())), 2, null,
                    TestMonitor.SECONDS, null));
            return new ModesCluster(pki, dir, shared, a, b, c);
        } catch (RuntimeException | Error e) {
            if (a != null) a.close();
            if (b != null) b.close();
            TestDirs.deleteQuietly(shared);
            TestDirs.deleteQuietly(dir);
            throw e;
        }
    }

    /** The pools {@code shared} (marked shared) and {@code local} (this agent's own pool directory), migration address 127.0.0.1. */
    private static UnaryOperator<AgentConfig> pools(Path shared) {
        return c -> new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(),
                c.probeGuest(), "127.0.0.1", List.of(new AgentConfig.Pool("shared", shared.toString(), true),
                new AgentConfig.Pool("local", Path.of(c.stateDir()).getParent().resolve("pool").toString(), false)),
                c.networks(), c.uefiFirmware());
    }

    TestAgent agent(String name) { return HOST_A.equals(name) ? a : b; }

    /**
     * Defines and starts the test guest on {@code host} with a 64 MiB raw data disk ({@code ferry.disk=vda})
     * in the shared pool or in the host's local pool, and waits until heartbeat, memory worker (if any) and disk worker report.
     */
    GuestHealth boot(TestAgent host, String vm, int memoryMiB, String params, boolean localDisk) {
        Path disk = TestGuest.createRawDisk(localDisk ? host.poolDir() : shared, vm + ".img", 64);
        host.client().define(TestGuest.spec(vm, memoryMiB, params + " ferry.disk=vda", disk));
        host.client().start(vm);
        return awaitHealth(host, vm, g -> g.heartbeat() != null && (g.memoryPasses() != null || !params.contains("ferry.mem"))
                && g.diskSeq() != null && g.diskSeq() > 5, Duration.ofSeconds(120));
    }

    static GuestHealth awaitHealth(TestAgent host, String vm, Predicate<GuestHealth> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GuestHealth h = host.client().guestHealth(vm);
            if (!h.ok()) {
                throw new AssertionError("the guest reports a problem on " + host.config().name() + ": " + h + "\nserial log:\n"
                        + host.serialLog(vm).tail(20));
            }
            if (condition.test(h)) return h;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("guest " + vm + " on " + host.config().name() + " did not reach the expected health within "
                        + timeout.toSeconds() + " s; last: " + h + "\nserial log:\n" + host.serialLog(vm).tail(20));
            }
            sleep(100);
        }
    }

    /** The same guest lives on {@code host}, intact: heartbeat past {@code before}, memory and disk workers reporting, no corruption. */
    static GuestHealth assertGuestContinues(TestAgent host, String vm, GuestHealth before) {
        GuestHealth h = awaitHealth(host, vm, g -> g.heartbeat() != null && g.heartbeat() > before.heartbeat() + 10
                && (before.memoryPasses() == null || g.memoryPasses() != null) && g.diskSeq() != null && g.diskSeq() > before.diskSeq(),
                Duration.ofSeconds(90));
        assertThat(h.corruptLines()).isZero();
        assertThat(h.panicked()).isFalse();
        return h;
    }

    MigrationView awaitFinished(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) {
                api.abort(id);
                throw new AssertionError("migration " + id + " did not finish within " + timeout.toSeconds() + " s (aborted): " + describe(v));
            }
            sleep(200);
        }
    }

    /** Waits until the job is in one of the phases of {@code phases} ("a|b|c"); fails if it ends first. */
    MigrationView awaitPhase(String id, String phases, Duration timeout) {
        List<String> wanted = List.of(phases.split("\\|"));
        String phase = phases;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (wanted.contains(v.phase())) return v;
            if (v.isFinished()) throw new AssertionError("migration ended before phase " + phase + ": " + describe(v));
            if (System.nanoTime() > deadline) throw new AssertionError("no phase " + phase + " within " + timeout.toSeconds() + " s: "
                    + describe(v));
            sleep(50);
        }
    }

    /** The VM runs on {@code host} and is unknown on the other host. */
    void assertRunsOnlyOn(String vm, TestAgent host) {
        TestAgent other = host == a ? b : a;
        VmInfo here = host.client().show(vm);
        assertThat(here.state()).as("state of %s on %s", vm, host.config().name()).isEqualTo(VmState.RUNNING);
        try {
            other.client().show(vm);
            throw new AssertionError(vm + " is still known on " + other.config().name());
        } catch (FerryException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VM_NOT_FOUND);
        }
        assertThat(QemuReaper.pidsUnder(other.dir())).noneMatch(pid -> QemuReaper.cmdline(pid).contains("guest=" + vm + ","));
    }

    static String describe(MigrationView v) {
        String events = v.events() == null ? "" : v.events().stream()
                .map((MigrationEvent e) -> "  " + e.at() + " " + e.kind() + ": " + e.message()).collect(Collectors.joining("\n"));
        return v.id() + " " + v.vm() + " " + v.source() + "->" + v.destination() + " mode=" + v.mode() + " state=" + v.state()
                + " phase=" + v.phase() + " error=" + v.errorCode() + " " + v.errorMessage() + " result=" + v.result() + "\n" + events;
    }

    static boolean hasEvent(MigrationView v, String kind, String text) {
        return v.events() != null && v.events().stream().anyMatch(e -> e.kind().equals(kind) && e.message().contains(text));
    }

    /** Prints the job's outcome for the test log ("MEASURED ..." lines are collected for the report). */
    static void report(String what, MigrationView v) {
        var r = v.result();
        System.out.printf("MEASURED %s: %s%s%n", what, v.state(), r == null ? "" : String.format(
                " mode %s strategy %s total %d ms, downtime (QEMU) %s ms, paused %s ms, heartbeat gap %s ms, %.1f MiB, %d passes,"
                        + " predicted total %s ms / downtime %s ms, escalations %s, disk bytes %s",
                r.mode(), r.strategy(), r.totalTimeMs(), r.downtimeMs(), r.pausedMs(), r.heartbeatGapMs(),
                r.transferredBytes() / 1048576.0, r.iterations(), r.predictedTotalMs(), r.predictedDowntimeMs(), r.escalations(),
                r.diskBytes()));
        if (v.events() != null) {
            v.events().stream().filter(e -> List.of("plan", "escalate", "verify", "warning").contains(e.kind()))
                    .forEach(e -> System.out.println("  " + e.kind() + ": " + e.message()));
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Kills every QEMU of both agents and forgets their VMs, so the next test starts from empty hosts. */
    void removeAllVms() {
        for (TestAgent agent : List.of(a, b)) {
            try {
                for (VmInfo v : agent.client().list()) agent.client().discard(v.name(), true);
            } catch (RuntimeException e) {
                System.err.println("cannot discard the VMs of " + agent.config().name() + ": " + e.getMessage());
            }
            QemuReaper.killAll(agent.dir());
        }
    }

    @Override
    public void close() {
        CloseAll.close(controller, a, b, () -> TestDirs.deleteQuietly(shared), () -> TestDirs.deleteQuietly(dir));
    }
}

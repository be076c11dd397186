package dev.ferry.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A whole Ferry cluster on this machine for end-to-end tests: a cluster PKI, two in-process agents
 * (host-a and host-b) whose only storage pool is one directory both mark {@code shared: true}, a
 * fresh controller database of the given kind, and controllers on it, in this JVM
 * ({@link #startController()}) or as processes of their own ({@link #startControllerProcess}).
 * The test drives everything through the controller's HTTP API, as a user would, and checks the
 * outcome on the agents and in the guest. {@link #close()} stops every controller, kills every
 * QEMU both agents started and removes the directories, whether the test passed or not.
 */
final class Cluster implements AutoCloseable {
    static final String HOST_A = "host-a";
    static final String HOST_B = "host-b";
    /** Guest RAM: the 96 MiB the test guest needs plus the memory worker's buffer and slack. */
    static final int GUEST_MIB = 256;
    static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(120);

    final TestPki pki;
    final Path shared;
    final Path dir;
    final TestAgent a;
    final TestAgent b;
    final DatabaseConfig database;
    private final List<FerryController> controllers = new ArrayList<>();
    private final List<ControllerProcess> processes = new ArrayList<>();
    private final Map<TestAgent, TcpProxy> proxies = new HashMap<>();

    private Cluster(TestPki pki, Path shared, Path dir, TestAgent a, TestAgent b, DatabaseConfig database) {
        this.pki = pki;
        this.shared = shared;
        this.dir = dir;
        this.a = a;
        this.b = b;
        this.database = database;
    }

    static Cluster start(TestDatabases.Kind kind) {
        Path dir = TestDirs.create("ctl");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path shared = TestDirs.create("shared");
        TestAgent a = null;
        try {
            a = TestAgent.start(pki, HOST_A, sharedPool(shared));
            TestAgent b = TestAgent.start(pki, HOST_B, sharedPool(shared));
            return new Cluster(pki, shared, dir, a, b, TestDatabases.fresh(kind, dir));
        } catch (RuntimeException | Error e) {
            if (a != null) a.close();
            TestDirs.deleteQuietly(shared);
            TestDirs.deleteQuietly(dir);
            throw e;
        }
    }

    /** The agent's config with {@code shared} as its only pool, marked shared, and 127.0.0.1 as its migration address. */
    private static UnaryOperator<AgentConfig> sharedPool(Path shared) {
        return c -> new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(),
                c.probeGuest(), "127.0.0.1", List.of(new AgentConfig.Pool("shared", shared.toString(), true)),
                c.networks(), c.uefiFirmware());
    }

    TestAgent agent(String name) {
        return switch (name) {
            case HOST_A -> a;
            case HOST_B -> b;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static String name(TestAgent agent) { return agent.config().name(); }

    // ---- controllers ----------------------------------------------------------------------

    /** The controller's config: both agents (through their proxies, if any), this cluster's database, a free port. */
    ServerConfig serverConfig() {
        return new ServerConfig("127.0.0.1:0", dir.resolve("controller-state").toString(), pki.hostDir("controller").toString(),
                new ServerConfig.Database(database.jdbcUrl(), database.user(), database.password()),
                List.of(new ServerConfig.Host(HOST_A, apiUrl(a)), new ServerConfig.Host(HOST_B, apiUrl(b))), 2, null,
                dev.ferry.controller.modes.TestMonitor.SECONDS, null);
    }

    private String apiUrl(TestAgent agent) {
        TcpProxy p = proxies.get(agent);
        return p == null ? agent.url().toString() : "https://127.0.0.1:" + p.port();
    }

    /**
     * Puts a {@link TcpProxy} between controllers started from now on and {@code agent}, so a test
     * can cut them off from each other; {@link #removeProxies()} (or {@link #close()}) takes it away.
     */
    TcpProxy proxy(TestAgent agent) {
        return proxies.computeIfAbsent(agent, x -> new TcpProxy(x.port()));
    }

    void removeProxies() {
        proxies.values().forEach(TcpProxy::close);
        proxies.clear();
    }

    /** A controller in this JVM; stopped by {@link #close()}. */
    FerryController startController() {
        FerryController c = FerryController.start(serverConfig());
        controllers.add(c);
        return c;
    }

    /** A controller process on this cluster's database, started from a {@code server.yaml} as {@code ferry server} would. */
    ControllerProcess startControllerProcess() {
        Path config = dir.resolve("server.yaml");
        try {
            Json.yaml().writeValue(config.toFile(), serverConfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ControllerProcess p = ControllerProcess.start(config, dir, "controller-" + (processes.size() + 1));
        processes.add(p);
        return p;
    }

    ControllerClient api(int port) {
        return new ControllerClient(pki.clientSsl(), URI.create("https://127.0.0.1:" + port));
    }

    // ---- guests ---------------------------------------------------------------------------

    /**
     * Defines the test guest with a 64 MiB raw data disk in the shared pool on {@code host}, starts
     * it, and waits until its heartbeat, memory worker and disk worker all report.
     */
    GuestHealth boot(TestAgent host, String vm, String params) {
        return boot(host, vm, params, GUEST_MIB, 64);
    }

    /** {@link #boot(TestAgent, String, String)} with {@code memoryMiB} of RAM and a data disk of {@code diskMiB}. */
    GuestHealth boot(TestAgent host, String vm, String params, int memoryMiB, int diskMiB) {
        Path disk = TestGuest.createRawDisk(shared, vm + ".img", diskMiB);
        host.client().define(TestGuest.spec(vm, memoryMiB, params + " ferry.disk=vda", disk));
        host.client().start(vm);
        GuestHealth h = awaitHealth(host, vm, g -> g.heartbeat() != null && g.memoryPasses() != null && g.diskSeq() != null,
                Duration.ofSeconds(90));
        assertThat(h.ok()).as("guest health after boot: %s", h).isTrue();
        return h;
    }

    static GuestHealth awaitHealth(TestAgent host, String vm, Predicate<GuestHealth> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        GuestHealth last = null;
        while (true) {
            last = host.client().guestHealth(vm);
            if (!last.ok()) throw new AssertionError("the guest reports a problem on " + name(host) + ": " + last
                    + "\nserial log:\n" + host.serialLog(vm).tail(20));
            if (condition.test(last)) return last;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("guest " + vm + " on " + name(host) + " did not reach the expected health within "
                        + timeout.toSeconds() + " s; last: " + last + "\nserial log:\n" + host.serialLog(vm).tail(20));
            }
            sleep(100);
        }
    }

    /**
     * Asserts the guest lives on {@code host} and is the same guest as {@code before} (its heartbeat
     * counter goes on past it; a reboot would restart it at 1), intact: no corruption or panic line,
     * its disk worker still writing, its memory worker reporting on {@code host} (the report of a
     * guest that just arrived covers the pages verified since it arrived, about a second's worth),
     * and, if {@code passes > 0}, that many more complete passes over its whole buffer verified there.
     */
    static GuestHealth assertGuestContinues(TestAgent host, String vm, GuestHealth before, int passes) {
        GuestHealth now = host.client().guestHealth(vm);
        long passesAtStart = now.memoryPasses() == null ? before.memoryPasses() : now.memoryPasses();
        GuestHealth h = awaitHealth(host, vm, g -> g.heartbeat() != null && g.heartbeat() > before.heartbeat() + 10
                        && g.memoryPasses() != null && g.memoryPasses() >= passesAtStart + passes
                        && g.diskSeq() != null && g.diskSeq() > before.diskSeq(),
                Duration.ofSeconds(60));
        assertThat(h.ok()).as("guest health on %s: %s", name(host), h).isTrue();
        assertThat(h.corruptLines()).as("corruption lines on %s", name(host)).isZero();
        assertThat(h.panicked()).isFalse();
        assertThat(h.memoryPasses()).isGreaterThanOrEqualTo(before.memoryPasses());
        return h;
    }

    /**
     * Discards every VM of both agents (QEMU killed, definition removed) and deletes the disks of
     * the shared pool, so the next test starts from empty hosts even if this one failed midway.
     */
    void removeAllVms() {
        for (TestAgent agent : List.of(a, b)) {
            try {
                for (VmInfo v : agent.client().list()) agent.client().discard(v.name(), true);
            } catch (RuntimeException e) {
                System.err.println("cannot discard the VMs of " + name(agent) + ": " + e.getMessage());
            }
            QemuReaper.killAll(agent.dir());
        }
        try (var files = Files.list(shared)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The heartbeat of the guest on {@code host} keeps advancing (by 10 beats) past {@code after}. */
    static GuestHealth assertHeartbeatAdvances(TestAgent host, String vm, long after) {
        return awaitHealth(host, vm, g -> g.heartbeat() != null && g.heartbeat() > after + 10, Duration.ofSeconds(30));
    }

    // ---- where the VM is ------------------------------------------------------------------

    /**
     * The VM is defined and running on {@code host} and nowhere else: both agents' lists agree, and
     * no QEMU process of the other agent runs it.
     */
    void assertRunsOnlyOn(String vm, TestAgent host) {
        TestAgent other = host == a ? b : a;
        List<VmInfo> here = host.client().list().stream().filter(v -> v.name().equals(vm)).toList();
        assertThat(here).as("VMs named %s on %s", vm, name(host)).hasSize(1);
        assertThat(here.get(0).state()).as("state of %s on %s", vm, name(host)).isEqualTo(VmState.RUNNING);
        assertNotOn(vm, other);
    }

    /** The VM is neither defined on {@code host} nor run by any QEMU of it. */
    static void assertNotOn(String vm, TestAgent host) {
        assertThat(host.client().list()).as("VMs on %s", name(host)).noneMatch(v -> v.name().equals(vm));
        assertThat(qemuOf(host, vm)).as("QEMU processes of %s on %s", vm, name(host)).isEmpty();
        try {
            host.client().show(vm);
            throw new AssertionError(vm + " is still known on " + name(host));
        } catch (FerryException e) {
            assertThat(e.code()).as("show %s on %s: %s", vm, name(host), e.getMessage()).isEqualTo(ErrorCode.VM_NOT_FOUND);
        }
    }

    /** Pids of running QEMU processes of {@code host} whose command line names guest {@code vm}. */
    static List<Long> qemuOf(TestAgent host, String vm) {
        return QemuReaper.pidsUnder(host.dir()).stream()
                .filter(pid -> QemuReaper.cmdline(pid).contains("guest=" + vm + ",")).toList();
    }

    /** The pid in {@code state/vms/VM/run/qemu.pid} on {@code host}, checked to be that host's running QEMU. */
    static long qemuPid(TestAgent host, String vm) {
        Path pidFile = host.vmDir(vm).resolve("run/qemu.pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(QemuReaper.isRunning(pid)).as("QEMU pid %d from %s runs", pid, pidFile).isTrue();
        assertThat(QemuReaper.cmdline(pid)).contains(host.dir().toString(), "guest=" + vm + ",");
        return pid;
    }

    /** The controller's inventory lists the VM exactly once, on {@code host}. */
    static void assertControllerPlaces(ControllerClient api, String vm, String host) {
        List<JsonNode> entries = api.vms().stream().filter(v -> v.path("name").asText().equals(vm)).toList();
        assertThat(entries).as("controller's /v1/vms entries of %s", vm).hasSize(1);
        assertThat(entries.get(0).path("host").asText()).as("controller's host of %s: %s", vm, entries).isEqualTo(host);
    }

    // ---- migration jobs -------------------------------------------------------------------

    /** Polls the job until it has finished; fails, showing its events, after {@code timeout}. */
    static MigrationView awaitFinished(ControllerClient api, String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("migration " + id + " did not finish within " + timeout.toSeconds() + " s: " + describe(v));
            }
            sleep(100);
        }
    }

    /**
     * Waits until the job is in phase transfer and the source's QEMU reports the stream active with
     * at least {@code bytes} sent; fails at once if the job ends first.
     */
    static MigrationStats awaitTransferring(ControllerClient api, String id, TestAgent source, String vm, long bytes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) throw new AssertionError("migration ended before its transfer was under way: " + describe(v));
            if ("transfer".equals(v.phase())) {
                MigrationStats s = source.client().migrationStats(vm);
                if (s.status().equals("active") && s.transferredBytes() >= bytes) return s;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no transfer under way within 60 s: " + describe(v));
            sleep(50);
        }
    }

    /** A job and its events, one per line, for assertion messages. */
    static String describe(MigrationView v) {
        String events = Optional.ofNullable(v.events()).orElse(List.of()).stream()
                .map((MigrationEvent e) -> "  " + e.at() + " " + e.kind() + ": " + e.message())
                .collect(Collectors.joining("\n"));
        return v.id() + " " + v.vm() + " " + v.source() + "->" + v.destination() + " state=" + v.state() + " phase=" + v.phase()
                + " error=" + v.errorCode() + " " + v.errorMessage() + " result=" + v.result() + "\n" + events;
    }

    static boolean hasEvent(MigrationView v, String kind, String text) {
        return v.events() != null && v.events().stream().anyMatch(e -> e.kind().equals(kind) && e.message() != null
                && e.message().contains(text));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Kills the controller processes started so far (their logs stay until {@link #close()}). */
    void stopControllerProcesses() {
        for (ControllerProcess p : processes) p.close();
    }

    /** Output of the controller processes started so far, for a failing test's report. */
    String processLogs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            sb.append("--- controller process ").append(i + 1).append(" ---\n").append(processes.get(i).logTail(60)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (FerryController c : controllers) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        for (ControllerProcess p : processes) p.close();
        removeProxies();
        try {
            a.close();
        } finally {
            try {
                b.close();
            } finally {
                TestDirs.deleteQuietly(shared);
                TestDirs.deleteQuietly(dir);
            }
        }
        if (first != null) throw first;
    }
}

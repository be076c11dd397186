package dev.ferry.controller.plan.it;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.PlanClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Three in-process agents (host-a, host-b, host-c) of one PKI sharing one pool, and an in-process
 * controller on a SQLite file that can be closed and started again on the same database. host-b
 * offers only the q35 machine type, so a VM of another type cannot move there: the incompatible
 * pair the refusal test needs. {@link #close()} stops everything and kills every QEMU.
 */
final class PlanCluster implements AutoCloseable {
    static final List<String> HOSTS = List.of("host-a", "host-b", "host-c");

    final Path dir;
    final Path shared;
    final TestPki pki;
    final List<TestAgent> agents = new ArrayList<>();
    private final DatabaseConfig db;
    FerryController controller;
    ControllerClient api;
    PlanClient plans;

    private PlanCluster(Path dir, Path shared, TestPki pki, DatabaseConfig db) {
        this.dir = dir;
        this.shared = shared;
        this.pki = pki;
        this.db = db;
    }

    static PlanCluster start() {
        Path dir = TestDirs.create("plans");
        Path shared = TestDirs.create("plans-shared");
        PlanCluster c = new PlanCluster(dir, shared, TestPki.create(dir.resolve("pki")), TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir));
        try {
            for (String h : HOSTS) c.agents.add(TestAgent.start(c.pki, h, config(shared, h.equals("host-b") ? List.of("q35") : null)));
            c.startController();
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static UnaryOperator<AgentConfig> config(Path shared, List<String> machineTypes) {
        return c -> new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(), c.probeGuest(),
                "127.0.0.1", List.of(new AgentConfig.Pool("shared", shared.toString(), true)), c.networks(), c.uefiFirmware(), machineTypes);
    }

    void startController() {
        List<ServerConfig.Host> hosts = new ArrayList<>();
        for (TestAgent a : agents) hosts.add(new ServerConfig.Host(a.config().name(), a.url().toString()));
        controller = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("controller").toString(),
                pki.hostDir("controller").toString(), new ServerConfig.Database(db.jdbcUrl(), db.user(), db.password()), hosts, 2, null,
                dev.ferry.controller.modes.TestMonitor.SECONDS, null));
        api = new ControllerClient(pki.clientSsl(), URI.create("https://127.0.0.1:" + controller.port()));
        plans = new PlanClient(api);
    }

    /** Closes the controller (its migration threads die with it) and starts a new one on the same database. */
    void restartController() {
        controller.close();
        startController();
    }

    TestAgent agent(String host) { return agents.get(HOSTS.indexOf(host)); }

    /** Boots the test guest (128 MiB, memory and disk self-checks, a 16 MiB disk in the shared pool) and waits until it reports. */
    GuestHealth boot(String host, String vm) {
        TestAgent a = agent(host);
        Path disk = TestGuest.createRawDisk(shared, vm + ".img", 16);
        a.client().define(TestGuest.spec(vm, 128, "ferry.mem=16 ferry.disk=vda", disk));
        a.client().start(vm);
        return awaitHealth(host, vm, g -> g.heartbeat() != null && g.memoryPasses() != null && g.diskSeq() != null && g.diskSeq() > 3,
                Duration.ofSeconds(120));
    }

    GuestHealth awaitHealth(String host, String vm, Predicate<GuestHealth> condition, Duration timeout) {
        TestAgent a = agent(host);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GuestHealth h = a.client().guestHealth(vm);
            if (!h.ok()) throw new AssertionError(vm + " on " + host + " reports a problem: " + h + "\n" + a.serialLog(vm).tail(20));
            if (condition.test(h)) return h;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(vm + " on " + host + " did not reach the expected health: " + h + "\n" + a.serialLog(vm).tail(20));
            }
            sleep(200);
        }
    }

    /** The guest runs on {@code host} only (no other agent knows it or runs a QEMU for it) and its self-checks pass and progress. */
    GuestHealth assertIntactOnlyOn(String vm, String host, GuestHealth before) {
        VmInfo here = agent(host).client().show(vm);
        if (here.state() != VmState.RUNNING) throw new AssertionError(vm + " on " + host + " is " + here.state());
        for (String other : HOSTS) {
            if (other.equals(host)) continue;
            TestAgent o = agent(other);
            boolean known;
            try {
                o.client().show(vm);
                known = true;
            } catch (FerryException e) {
                known = false;
            }
            if (known) throw new AssertionError(vm + " is still known on " + other + " besides " + host);
            if (QemuReaper.pidsUnder(o.dir()).stream().anyMatch(pid -> QemuReaper.cmdline(pid).contains("guest=" + vm + ","))) {
                throw new AssertionError("a QEMU for " + vm + " still runs on " + other);
            }
        }
        GuestHealth h = awaitHealth(host, vm, g -> g.heartbeat() != null && g.heartbeat() > before.heartbeat() && g.diskSeq() != null
                && g.diskSeq() > before.diskSeq() && g.memoryPasses() != null, Duration.ofSeconds(90));
        if (h.corruptLines() != 0 || h.panicked()) throw new AssertionError(vm + " on " + host + " is damaged: " + h);
        return h;
    }

    /** Which hosts' agents know the VM (exactly one, for a VM that never runs on two hosts). */
    List<String> hostsKnowing(String vm) {
        List<String> out = new ArrayList<>();
        for (String h : HOSTS) {
            try {
                agent(h).client().show(vm);
                out.add(h);
            } catch (FerryException e) {
                // not there
            }
        }
        return out;
    }

    /** Waits until the controller's inventory lists every VM of {@code vms}. */
    void awaitInventory(List<String> vms) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> known = api.vms().stream().map(n -> n.path("name").asText()).toList();
            if (known.containsAll(vms)) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the controller knows only " + known + " of " + vms);
            sleep(200);
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

    @Override
    public void close() {
        try {
            if (controller != null) controller.close();
        } finally {
            for (TestAgent a : agents) {
                try {
                    a.close();
                } catch (RuntimeException e) {
                    System.err.println("closing " + a + ": " + e);
                }
                QemuReaper.killAll(a.dir());
            }
            TestDirs.deleteQuietly(shared);
            TestDirs.deleteQuietly(dir);
        }
    }
}

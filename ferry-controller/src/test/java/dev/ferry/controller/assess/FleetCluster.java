package dev.ferry.controller.assess;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.CloseAll;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.FleetClient;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Three in-process agents and a controller whose differences are each a refusal the assessment
 * must find, all on one machine and all honest configuration:
 * <ul>
 *   <li>host-a (the source): pools {@code shared} (one directory all hosts mark shared), {@code fake}
 *       (marked shared, but a directory of host-a's own), {@code local}; networks {@code user} and {@code lan};</li>
 *   <li>host-b: {@code shared} (the same directory), {@code fake} (marked shared, another directory: the
 *       marker proof must catch it), {@code local}; network {@code user} only;</li>
 *   <li>host-c: only {@code shared}; it offers only the {@code pc} machine types (agent config
 *       {@code machineTypes}), and the controller reserves all of its memory ({@code capacity.hosts}).</li>
 * </ul>
 */
final class FleetCluster implements AutoCloseable {
    final Path dir;
    final Path shared;
    final Path fakeA;
    final Path fakeB;
    final TestPki pki;
    final TestAgent a;
    final TestAgent b;
    final TestAgent c;
    final FerryController controller;
    final ControllerClient api;
    final FleetClient fleet;

    private FleetCluster(Path dir, TestPki pki, TestAgent a, TestAgent b, TestAgent c, FerryController controller) {
        this.dir = dir;
        this.shared = dir.resolve("shared");
        this.fakeA = dir.resolve("fake-a");
        this.fakeB = dir.resolve("fake-b");
        this.pki = pki;
        this.a = a;
        this.b = b;
        this.c = c;
        this.controller = controller;
        this.api = new ControllerClient(pki.clientSsl(), URI.create("https://127.0.0.1:" + controller.port()));
        this.fleet = FleetClient.of(api);
    }

    static FleetCluster start() {
        Path dir = TestDirs.create("fleet");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path shared = mkdir(dir.resolve("shared"));
        TestAgent a = null;
        TestAgent b = null;
        TestAgent c = null;
        try {
            a = TestAgent.start(pki, "host-a", cfg(List.of(pool("shared", shared, true), pool("fake", mkdir(dir.resolve("fake-a")), true)),
                    true, List.of(NetworkDef.user("user"), NetworkDef.user("lan")), null));
            b = TestAgent.start(pki, "host-b", cfg(List.of(pool("shared", shared, true), pool("fake", mkdir(dir.resolve("fake-b")), true)),
                    true, List.of(NetworkDef.user("user")), null));
            c = TestAgent.start(pki, "host-c", cfg(List.of(pool("shared", shared, true)), false, List.of(NetworkDef.user("user")),
                    List.of("pc", "pc-i440fx-10.0")));
            DatabaseConfig db = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
            ServerConfig.Capacity capacity = new ServerConfig.Capacity(null, null, null, null, null, null,
                    Map.of("host-c", new ServerConfig.Capacity(null, null, memTotalMiB(), null, null, null, null)));
            FerryController ctl = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("controller").toString(),
                    pki.hostDir("controller").toString(), new ServerConfig.Database(db.jdbcUrl(), db.user(), db.password()),
                    List.of(new ServerConfig.Host("host-a", a.url().toString()), new ServerConfig.Host("host-b", b.url().toString()),
                            new ServerConfig.Host("host-c", c.url().toString())), 2, capacity,
                    dev.ferry.controller.modes.TestMonitor.SECONDS, null));
            return new FleetCluster(dir, pki, a, b, c, ctl);
        } catch (RuntimeException | Error e) {
            for (TestAgent t : new TestAgent[] {a, b, c}) if (t != null) t.close();
            TestDirs.deleteQuietly(dir);
            throw e;
        }
    }

    /** Pools as given plus the agent's own {@code local} pool (when {@code local}), migration address 127.0.0.1. */
    private static UnaryOperator<AgentConfig> cfg(List<AgentConfig.Pool> pools, boolean local, List<NetworkDef> networks,
                                                  List<String> machines) {
        return x -> {
            List<AgentConfig.Pool> all = new java.util.ArrayList<>(pools);
            if (local) all.add(pool("local", Path.of(x.stateDir()).getParent().resolve("pool"), false));
            return new AgentConfig(x.name(), x.listen(), x.stateDir(), x.tlsDir(), x.qemuBinary(), x.accelerator(), x.probeGuest(),
                    "127.0.0.1", all, networks, x.uefiFirmware(), machines);
        };
    }

    private static AgentConfig.Pool pool(String name, Path dir, boolean shared) {
        return new AgentConfig.Pool(name, dir.toString(), shared);
    }

    private static Path mkdir(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This machine's memory: reserving all of it leaves host-c nothing to give. */
    static long memTotalMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marker files left in any pool directory (there must be none after a proof). */
    List<Path> markers() {
        List<Path> out = new java.util.ArrayList<>();
        for (Path d : List.of(shared, fakeA, fakeB)) {
            try (var s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().startsWith(".ferry-marker-")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        CloseAll.close(controller, a, b, c, () -> TestDirs.deleteQuietly(dir));
    }
}

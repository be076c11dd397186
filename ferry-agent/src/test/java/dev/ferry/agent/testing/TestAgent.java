package dev.ferry.agent.testing;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.FerryAgent;
import dev.ferry.api.client.AgentClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An in-process {@link FerryAgent} for tests, listening on 127.0.0.1 (a free port) with TCG, in a
 * fresh directory of its own ({@link TestDirs}) holding {@code state/} and a storage pool
 * {@code pool/}:
 *
 * <pre>{@code
 * try (TestAgent agent = TestAgent.start()) {
 *     agent.client().list();   // an AgentClient with the cluster's admin certificate
 *     agent.restart();         // a new FerryAgent on the same state dir and port
 * }                            // kills every QEMU this agent started, then deletes the directory
 * }</pre>
 *
 * Guests outlive a {@link #restart()} exactly as they outlive a real agent restart. {@link #close()}
 * (and, should the JVM end first, a shutdown hook) kills every QEMU whose command line mentions this
 * agent's directory, so no guest outlives its test, whether the test passed or not.
 */
public final class TestAgent implements AutoCloseable {
    private static final Set<TestAgent> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(a -> QemuReaper.killAll(a.dir)), "test-agent-reaper"));
    }

    private final Path dir;
    private final TestPki pki;
    private AgentConfig config;
    private FerryAgent agent;

    private TestAgent(Path dir, TestPki pki, AgentConfig config) {
        this.dir = dir;
        this.pki = pki;
        this.config = config;
    }

    /** An agent named {@code host-1} with a PKI of its own (in {@code dir()/pki}). */
    public static TestAgent start() {
        Path dir = TestDirs.create("agent");
        return start(dir, TestPki.create(dir.resolve("pki")), "host-1", UnaryOperator.identity());
    }

    /** An agent named {@code name} whose host certificate {@code pki} issues, e.g. one of several hosts of a cluster. */
    public static TestAgent start(TestPki pki, String name) {
        return start(TestDirs.create("agent"), pki, name, UnaryOperator.identity());
    }

    /** As {@link #start(TestPki, String)}, with the generated config changed by {@code customize} first. */
    public static TestAgent start(TestPki pki, String name, UnaryOperator<AgentConfig> customize) {
        return start(TestDirs.create("agent"), pki, name, customize);
    }

    private static TestAgent start(Path dir, TestPki pki, String name, UnaryOperator<AgentConfig> customize) {
        try {
            Files.createDirectories(dir.resolve("pool"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AgentConfig config = customize.apply(new AgentConfig(name, "127.0.0.1:0", dir.resolve("state").toString(),
                pki.hostDir(name).toString(), null, "tcg", null, null,
                List.of(new AgentConfig.Pool("default", dir.resolve("pool").toString(), false)), null, null));
        TestAgent a = new TestAgent(dir, pki, config);
        OPEN.add(a);
        try {
            a.agent = FerryAgent.start(config);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    /** A client with the cluster's {@code admin} certificate. A new one after {@link #restart()} is not needed: the port stays. */
    public AgentClient client() { return new AgentClient(pki.clientSsl(), url()); }

    /** {@code https://127.0.0.1:PORT} */
    public URI url() { return URI.create("https://127.0.0.1:" + port()); }

    public int port() { return agent == null ? config.listenPort() : agent.port(); }

    public FerryAgent agent() { return agent; }

    public AgentConfig config() { return config; }

    public TestPki pki() { return pki; }

    /** This agent's own directory (state, pool, and its PKI when it made one). */
    public Path dir() { return dir; }

    public Path stateDir() { return Path.of(config.stateDir()); }

    /** The storage pool: put disk images here ({@link TestGuest#createRawDisk}). */
    public Path poolDir() { return dir.resolve("pool"); }

    /** Where the agent keeps VM {@code name}: {@code state/vms/NAME}. */
    public Path vmDir(String name) { return stateDir().resolve("vms").resolve(name); }

    /** The serial console of VM {@code name} (the agent's default location). */
    public SerialLog serialLog(String name) { return new SerialLog(vmDir(name).resolve("serial.log")); }

    /** Pids in {@code state/vms/*}/run/qemu.pid whose process is still running. */
    public List<Long> qemuPids() {
        List<Long> pids = new ArrayList<>();
        Path vms = stateDir().resolve("vms");
        if (!Files.isDirectory(vms)) return pids;
        try (Stream<Path> dirs = Files.list(vms)) {
            for (Path d : dirs.sorted().toList()) {
                Path pidFile = d.resolve("run/qemu.pid");
                if (!Files.isRegularFile(pidFile)) continue;
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    if (QemuReaper.isRunning(pid) && QemuReaper.cmdline(pid).contains(dir.toString())) pids.add(pid);
                } catch (NumberFormatException | IOException ignored) {
                    // a pidfile being written or removed right now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /**
     * Closes the in-process agent and starts one on the same state directory and port in a child JVM,
     * which a test can then kill with SIGKILL ({@link ChildAgent#kill9()}), as an agent that crashes;
     * {@link #restart()} afterwards starts the in-process agent again.
     */
    public ChildAgent handOverToChildJvm() {
        int port = agent.port();
        agent.close();
        agent = null;
        config = sameConfigOnPort(port);
        return ChildAgent.start(config, dir);
    }

    /** Closes the agent (guests keep running) and starts a new one on the same state directory and port. */
    public void restart() {
        int port = agent == null ? config.listenPort() : agent.port();
        if (agent != null) agent.close();
        agent = null;
        config = sameConfigOnPort(port);
        agent = FerryAgent.start(config);
    }

    private AgentConfig sameConfigOnPort(int port) {
        return new AgentConfig(config.name(), "127.0.0.1:" + port, config.stateDir(), config.tlsDir(), config.qemuBinary(),
                config.accelerator(), config.probeGuest(), config.migrationAddress(), config.pools(), config.networks(),
                config.uefiFirmware(), config.machineTypes());
    }

    /** Closes the agent, kills every QEMU it started and deletes its directory (kept with FERRY_TEST_KEEP=1). */
    @Override
    public void close() {
        try {
            if (agent != null) agent.close();
        } finally {
            QemuReaper.killAll(dir);
            OPEN.remove(this);
            TestDirs.deleteQuietly(dir);
        }
    }

    @Override
    public String toString() { return "TestAgent[" + config.name() + ", " + dir + "]"; }
}

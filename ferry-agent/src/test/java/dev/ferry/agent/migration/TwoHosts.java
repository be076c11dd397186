package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Two in-process agents, host-a and host-b, of one cluster PKI, with a storage pool both list (so a
 * disk has the same path on both, as with shared storage), driven through {@link AgentClient} the
 * way the controller drives them. Boots the test guest with a memory and a disk worker and checks
 * its health through the agents' guest-health endpoint.
 */
final class TwoHosts implements AutoCloseable {
    static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(90);
    static final String GUEST_PARAMS = "ferry.mem=64 ferry.rate=20 ferry.disk=vda";

    final TestPki pki;
    final Path shared;
    final TestAgent a;
    final TestAgent b;

    private TwoHosts(TestPki pki, Path shared, TestAgent a, TestAgent b) {
        this.pki = pki;
        this.shared = shared;
        this.a = a;
        this.b = b;
    }

    static TwoHosts start() {
        TestPki pki = TestPki.create(TestDirs.create("pki"));
        Path shared = TestDirs.create("shared");
        TestAgent a = TestAgent.start(pki, "host-a", sharedPool(shared));
        try {
            return new TwoHosts(pki, shared, a, TestAgent.start(pki, "host-b", sharedPool(shared)));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /** The agent's config with {@code shared} as its only pool and 127.0.0.1 as its migration address. */
    static UnaryOperator<AgentConfig> sharedPool(Path shared) {
        return c -> new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(),
                c.probeGuest(), "127.0.0.1", List.of(new AgentConfig.Pool("shared", shared.toString(), true)),
                c.networks(), c.uefiFirmware());
    }

    /** Defines and starts the test guest (256 MiB, 64 MiB memory worker, disk worker, one NIC) on {@code host}. */
    GuestHealth boot(TestAgent host, String name) {
        Path disk = TestGuest.createRawDisk(shared, name + ".img", 64);
        VmSpec base = TestGuest.spec(name, 256, GUEST_PARAMS, disk);
        VmSpec spec = new VmSpec(base.name(), base.uuid(), base.vcpus(), base.memoryMiB(), base.cpuModel(), base.machine(),
                base.firmware(), base.boot(), base.disks(), List.of(new NicSpec(NicModel.VIRTIO, "user", null)), null);
        host.client().define(spec);
        host.client().start(name);
        return awaitHealth(host, name, h -> h.memoryPasses() != null && h.diskSeq() != null);
    }

    /** prepareIncoming on {@code to}, then migrate on {@code from}; returns what migrate answered. */
    static MigrationStats startMigration(TestAgent from, TestAgent to, String name, boolean tls, Long maxBandwidth) {
        return startMigration(from, to, name, tls, maxBandwidth, Map.of());
    }

    /** As above, with QEMU migration capabilities set on both ends. */
    static MigrationStats startMigration(TestAgent from, TestAgent to, String name, boolean tls, Long maxBandwidth,
                                         Map<String, Boolean> capabilities) {
        VmSpec spec = from.client().show(name).spec();
        String id = "m-" + System.nanoTime();
        IncomingResponse in = to.client().prepareIncoming(new IncomingRequest(id, spec, tls, capabilities));
        assertThat(in.uri()).startsWith("tcp:127.0.0.1:");
        return from.client().migrate(name, new OutgoingRequest(id, in.uri(), tls, in.tlsHostname(), maxBandwidth, 100,
                capabilities));
    }

    static MigrationStats awaitFinished(TestAgent host, String name) {
        return await().atMost(MIGRATION_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> host.client().migrationStats(name), MigrationStats::isFinished);
    }

    /** Waits until the transfer is under way (status active, at least {@code bytes} sent). */
    static MigrationStats awaitTransferring(TestAgent host, String name, long bytes) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> host.client().migrationStats(name), s -> {
                    assertThat(s.isFinished()).as("migration ended before the transfer was under way: %s", s).isFalse();
                    return s.status().equals("active") && s.transferredBytes() >= bytes;
                });
    }

    static GuestHealth awaitHealth(TestAgent host, String name, java.util.function.Predicate<GuestHealth> condition) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> host.client().guestHealth(name), condition);
    }

    /**
     * Asserts the guest runs on {@code host} and is the same guest as before: its heartbeat goes on
     * past {@code before} (a reboot would restart it at 1), its memory and disk workers report, and
     * no corruption or panic appears.
     */
    static GuestHealth assertGuestContinues(TestAgent host, String name, GuestHealth before) {
        GuestHealth h = awaitHealth(host, name, g -> g.heartbeat() != null && g.heartbeat() > before.heartbeat() + 5
                && g.memoryPasses() != null && g.diskSeq() != null);
        assertThat(h.ok()).as("guest health on %s: %s", host.config().name(), h).isTrue();
        assertThat(h.memoryPasses()).isGreaterThanOrEqualTo(before.memoryPasses());
        assertThat(h.diskSeq()).isGreaterThan(before.diskSeq());
        return h;
    }

    static void report(String what, MigrationStats s) {
        System.out.printf("MEASURED %s: status %s, total %d ms, setup %d ms, downtime %s ms, transferred %.1f MiB,"
                        + " %.0f Mbit/s, %d dirty syncs%s%n", what, s.status(), s.totalTimeMs(), s.setupTimeMs(),
                s.downtimeMs(), s.transferredBytes() / 1048576.0, s.mbps(), s.iterations(),
                s.error() == null ? "" : ", error: " + s.error());
    }

    /** Kills every QEMU of both agents (called after each test, passed or failed). */
    void killAllQemu() {
        QemuReaper.killAll(a.dir());
        QemuReaper.killAll(b.dir());
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
            TestDirs.deleteQuietly(shared);
            TestDirs.deleteQuietly(pki.dir());
        }
    }
}

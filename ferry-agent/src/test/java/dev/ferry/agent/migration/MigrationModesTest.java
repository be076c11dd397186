package dev.ferry.agent.migration;

import static dev.ferry.agent.migration.TwoHosts.assertGuestContinues;
import static dev.ferry.agent.migration.TwoHosts.awaitFinished;
import static dev.ferry.agent.migration.TwoHosts.awaitHealth;
import static dev.ferry.agent.migration.TwoHosts.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.migration.RetireRequest;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent endpoints behind the migration modes, with real QEMU: the dirty-rate measurement the
 * live planner starts from (with the guest RAM's resident size), parameters changed during a transfer and the switch to post-copy, the
 * link probe, and the clean-up steps of a cold migration (retire the source, discard leftovers),
 * which may delete only images of pools no other host shares.
 */
@Tag("qemu")
class MigrationModesTest {
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
    void measuresTheDirtyRateAndTheWorkingSetShowsOverALongerWindow() {
        bootWith(a, "vm-dirty", 256, "ferry.mem=96 ferry.memwss=32 ferry.rate=40");

        DirtyRate one = a.client().dirtyRate("vm-dirty", 1000);
        DirtyRate two = a.client().dirtyRate("vm-dirty", 2000);

        System.out.printf("MEASURED dirty rate (32 MiB set at 40 MiB/s): 1 s window %d MiB/s, 2 s window %d MiB/s%n",
                one.bytesPerSec() >> 20, two.bytesPerSec() >> 20);
        assertThat(one.bytesPerSec() >> 20).as("1 s window").isBetween(20L, 48L);
        assertThat(two.dirtiedBytes() >> 20).as("distinct bytes over 2 s are capped by the 32 MiB working set").isBetween(16L, 44L);
        assertThat(one.memoryBytes()).isEqualTo(256L << 20);
        System.out.printf("MEASURED resident guest RAM of a 256 MiB guest with a 96 MiB buffer: %d MiB, then %d MiB%n",
                one.residentBytes() == null ? -1 : one.residentBytes() >> 20, two.residentBytes() == null ? -1 : two.residentBytes() >> 20);
        for (DirtyRate r : List.of(one, two)) {
            assertThat(r.residentBytes()).as("resident guest RAM, read from smaps").isNotNull().isPositive()
                    .isLessThanOrEqualTo(r.memoryBytes())
                    .as("at least the 96 MiB buffer the guest has written").isGreaterThanOrEqualTo(96L << 20);
        }
        assertThatThrownBy(() -> a.client().dirtyRate("vm-dirty", 50)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void tunesARunningMigrationAndSwitchesItToPostcopy() {
        GuestHealth before = bootWith(a, "vm-post", 256, "ferry.mem=96 ferry.memwss=48 ferry.rate=60 ferry.disk=vda");
        Map<String, Boolean> caps = Map.of("postcopy-ram", true, "auto-converge", true);
        VmSpec spec = a.client().show("vm-post").spec();
        IncomingResponse in = b.client().prepareIncoming(new IncomingRequest("m-post", spec, true, caps));
        a.client().migrate("vm-post", new OutgoingRequest("m-post", in.uri(), true, in.tlsHostname(), 16L << 20, 20, caps,
                Map.of("throttle-trigger-threshold", 100L, "cpu-throttle-initial", 5L, "max-postcopy-bandwidth", 16L << 20)));
        assertThatThrownBy(() -> a.client().pauseMigration("vm-post")).as("no post-copy to pause yet")
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));

        MigrationStats tuned = a.client().tuneMigration("vm-post", new MigrationTuning(40, null, Map.of("cpu-throttle-increment", 20L)));
        assertThat(tuned.status()).isIn("setup", "active");
        assertThatThrownBy(() -> a.client().tuneMigration("vm-post", new MigrationTuning(null, null, Map.of("multifd-channels", 4L))))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> a.client().migrationStats("vm-post").iterations() >= 2);

        MigrationStats switched = a.client().startPostcopy("vm-post");
        assertThat(switched.status()).startsWith("postcopy");
        MigrationStats done = awaitFinished(a, "vm-post");
        report("a->b post-copy after the first pass", done);

        assertThat(done.status()).isEqualTo("completed");
        assertThat(b.client().show("vm-post").state()).isEqualTo(VmState.RUNNING);
        assertGuestContinues(b, "vm-post", before);
        assertThatThrownBy(() -> a.client().recoverSource("vm-post")).as("a post-copy source is stale and never resumed")
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        a.client().finishSource("vm-post");
    }

    @Test
    void probesTheLinkBetweenMigrationAddresses() {
        LinkProbe.Target target = b.client().openLinkProbe();
        LinkProbe.Result r = a.client().sendLinkProbe(new LinkProbe.Send(target.host(), target.port(), 300));

        System.out.printf("MEASURED link probe on loopback: %d MiB in %d ms = %d MiB/s%n", r.bytes() >> 20, r.elapsedMs(),
                r.bytesPerSec() >> 20);
        assertThat(target.host()).isEqualTo("127.0.0.1");
        assertThat(r.bytes()).isPositive();
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void retiringAndDiscardingDeleteOnlyImagesOfUnsharedPoolsThatNoVmUses() throws Exception {
        try (TestAgent host = TestAgent.start(hosts.pki, "host-c", localPool())) {
            Path used = TestGuest.createRawDisk(host.poolDir(), "vm-old.img", 1);
            Path leftover = TestGuest.createRawDisk(host.poolDir(), "leftover.img", 1);
            Path outside = TestGuest.createRawDisk(hosts.shared, "elsewhere.img", 1);
            host.client().define(TestGuest.spec("vm-old", 128, "", used));

            assertCode(() -> host.client().discardImages(new DiscardImagesRequest("m", List.of(used.toString()))), ErrorCode.INVALID_STATE);
            assertCode(() -> host.client().discardImages(new DiscardImagesRequest("m", List.of(outside.toString()))), ErrorCode.UNSAFE_IMAGE);
            assertThat(host.client().discardImages(new DiscardImagesRequest("m", List.of(leftover.toString()))))
                    .containsExactly(leftover.toString());
            assertThat(Files.exists(leftover)).isFalse();
            assertThat(Files.exists(used)).isTrue();

            host.client().retire("vm-old", new RetireRequest("m", true));
            assertThat(Files.exists(used)).as("an unshared image of a retired VM is deleted").isFalse();
            assertCode(() -> host.client().show("vm-old"), ErrorCode.VM_NOT_FOUND);
            assertThat(Files.exists(outside)).isTrue();
        }
        Path shared = TestGuest.createRawDisk(hosts.shared, "vm-shared.img", 1);
        a.client().define(TestGuest.spec("vm-shared", 128, "", shared));
        a.client().retire("vm-shared", new RetireRequest("m", true));
        assertThat(Files.exists(shared)).as("an image on shared storage is the destination's image too").isTrue();
    }

    private static java.util.function.UnaryOperator<AgentConfig> localPool() {
        return c -> new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(),
                c.probeGuest(), "127.0.0.1", List.of(new AgentConfig.Pool("local", Path.of(c.stateDir()).getParent()
                .resolve("pool").toString(), false)), c.networks(), c.uefiFirmware());
    }

    private static GuestHealth bootWith(TestAgent host, String name, int memoryMiB, String params) {
        Path disk = TestGuest.createRawDisk(hosts.shared, name + ".img", 64);
        host.client().define(TestGuest.spec(name, memoryMiB, params, disk));
        host.client().start(name);
        return awaitHealth(host, name, h -> h.memoryPasses() != null && (!params.contains("ferry.disk") || h.diskSeq() != null));
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code())
                .as("error code of: %s", e.getMessage()).isEqualTo(code));
    }
}

package dev.ferry.controller.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.assess.Severity;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.LinkMeasurement;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The assessment end to end, with real agents, real QEMU and the real controller
 * ({@link FleetCluster}): every refusal that one machine can honestly produce, each found by the
 * check that reads the real thing (marker files in pool directories, the agents' networks and
 * machine types, the controller's capacity config, the maintenance flag). One guest is booted for
 * the whole class ({@code web}, running on host-a); {@code ok} is only defined (a cold move).
 */
@Tag("qemu")
class FleetAssessmentTest {
    static FleetCluster cluster;

    @BeforeAll
    static void start() {
        cluster = FleetCluster.start();
        Path fakeDisk = TestGuest.createRawDisk(cluster.fakeA, "web.img", 16);
        VmSpec web = TestGuest.spec("web", 128, "", fakeDisk);
        web = new VmSpec(web.name(), null, 1, 128, null, "q35", null, web.boot(), web.disks(),
                List.of(new NicSpec(NicModel.VIRTIO, "lan", null)), null);
        cluster.a.client().define(web);
        cluster.a.client().start("web");
        cluster.a.client().define(TestGuest.spec("ok", 128, "", TestGuest.createRawDisk(cluster.shared, "ok.img", 16)));
        sync();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static void sync() {
        for (String h : List.of("host-a", "host-b", "host-c")) cluster.api.host(h);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (cluster.api.vms().size() < 2) {
            if (System.nanoTime() > deadline) throw new AssertionError("the controller's inventory did not list web and ok");
            sleep(200);
        }
    }

    private static Finding only(Assessment a, String code, Severity s) {
        List<Finding> m = a.findings().stream().filter(f -> f.code().equals(code) && f.severity() == s).toList();
        assertThat(m).as("%s %s in %s", s, code, a.findings()).hasSize(1);
        return m.get(0);
    }

    @Test
    void aPoolDeclaredSharedThatIsNotTheSameStorageAndAMissingNetworkBlockTheMove() {
        Assessment a = cluster.fleet.assess("web", "host-b", null, true);
        assertThat(a.movable()).isFalse();
        assertThat(only(a, "POOL_NOT_SHARED", Severity.BLOCKER).message()).contains("disk 'data'", "pool 'fake'", "not found through pool 'fake' of host-b");
        assertThat(only(a, "NETWORK_MISSING", Severity.BLOCKER).message()).contains("'lan'", "host-b does not define");
        assertThat(cluster.markers()).as("markers are removed after the proof").isEmpty();

        MigrationView job = cluster.api.startMigration(new MigrationRequest("web", "host-b", null, null, null, null, null, null, null,
                null, null));
        MigrationView done = await(job.id());
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.errorCode()).isEqualTo(ErrorCode.ASSESSMENT_BLOCKED.name());
        assertThat(done.errorMessage()).contains("[POOL_NOT_SHARED]", "[NETWORK_MISSING]");
        assertThat(done.events()).anyMatch(e -> e.kind().equals("assessment") && e.message().contains("BLOCKER POOL_NOT_SHARED"));
        assertThat(cluster.a.client().show("web").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void aHostWithoutTheMachineTypeThePoolOrTheMemoryIsRefusedForEachReason() {
        Assessment a = cluster.fleet.assess("web", "host-c", "cold", false);
        assertThat(only(a, "MACHINE_TYPE_MISSING", Severity.BLOCKER).message()).contains("host-c does not offer machine type 'q35'");
        assertThat(only(a, "MEMORY", Severity.BLOCKER).message()).contains("'web' needs 192 MiB", "host-c has 0 MiB left",
                FleetCluster.memTotalMiB() + " reserved");
        assertThat(only(a, "POOL_MISSING", Severity.BLOCKER).message()).contains("host-c has no unshared pool");
        assertThat(only(a, "NETWORK_MISSING", Severity.BLOCKER).message()).contains("'lan'");
    }

    @Test
    void aHostInMaintenanceTakesNoMigrationUntilItEnds() {
        Assessment before = cluster.fleet.assess("ok", "host-b", null, true);
        assertThat(before.blockers()).isEmpty();
        assertThat(only(before, "POOL_SHARED", Severity.INFO).message()).contains("read back through pool 'shared' of host-b");
        try {
            var on = cluster.fleet.maintenance("host-b", true, "disk swap");
            assertThat(on.path("enabled").asBoolean()).isTrue();
            assertThat(on.path("agentInformed").asBoolean()).as("the agent took the flag").isTrue();
            assertThat(cluster.fleet.maintenance("host-b").path("reason").asText()).isEqualTo("disk swap");
            cluster.b.restart(); // the agent keeps the flag in its state directory
            VmSpec fresh = TestGuest.spec("fresh", 128, "", TestGuest.createRawDisk(cluster.shared, "fresh.img", 16));
            assertThatThrownBy(() -> cluster.b.client().define(fresh)).isInstanceOfSatisfying(FerryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_IN_MAINTENANCE)).hasMessageContaining("defining a new VM");
            assertThat(cluster.b.client().host().inMaintenance()).isTrue();
            Assessment blocked = cluster.fleet.assess("ok", "host-b", null, false);
            assertThat(only(blocked, "HOST_IN_MAINTENANCE", Severity.BLOCKER).message()).contains("host-b is in maintenance", "disk swap");
            assertThatThrownBy(() -> cluster.api.startMigration(new MigrationRequest("ok", "host-b", null, null, null, "cold", null, null,
                    null, null, null))).isInstanceOfSatisfying(FerryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_IN_MAINTENANCE)).hasMessageContaining("host-b is in maintenance");
            List<Recommendation> ranked = cluster.fleet.recommend("ok");
            assertThat(ranked).allMatch(r -> r.score() == 0);
            assertThat(ranked).filteredOn(r -> r.host().equals("host-b")).singleElement()
                    .satisfies(r -> assertThat(r.reasons()).anyMatch(x -> x.startsWith("HOST_IN_MAINTENANCE")));
        } finally {
            cluster.fleet.maintenance("host-b", false, null);
        }
        assertThat(cluster.fleet.assess("ok", "host-b", null, false).movable()).isTrue();
        assertThat(cluster.b.client().host().inMaintenance()).isFalse();
        List<Recommendation> ranked = cluster.fleet.recommend("ok");
        assertThat(ranked).extracting(Recommendation::host).containsExactly("host-b", "host-c");
        assertThat(ranked.get(0).score()).isPositive();
        assertThat(ranked.get(1).score()).isZero();
    }

    @Test
    void aProbeMeasuresTheLinkAndTheControllerKeepsIt() {
        LinkMeasurement m = cluster.fleet.probe("host-a", "host-b");
        assertThat(m.goodputMiBps()).isPositive();
        assertThat(m.rttMs()).isPositive();
        assertThat(m.lossPercent()).isBetween(0.0, 100.0);
        assertThat(cluster.fleet.links("host-b")).contains(m);
        assertThat(cluster.controller.links().latest("host-a", "host-b")).contains(m);
        assertThat(cluster.controller.links().latest("host-b", "host-a")).isEmpty();
    }

    private static MigrationView await(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            MigrationView v = cluster.api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("migration " + id + " did not end: " + v.state() + " " + v.phase());
            sleep(200);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

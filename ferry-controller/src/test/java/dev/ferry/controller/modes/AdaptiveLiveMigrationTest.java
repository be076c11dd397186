package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static dev.ferry.controller.modes.ModesCluster.hasEvent;
import static dev.ferry.controller.modes.ModesCluster.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The adaptive live policy end to end with real QEMU: a light guest is planned as plain pre-copy
 * and converges; a non-convergent guest (a 96 MiB writable working set rewritten at 80 MiB/s,
 * against a 20 MiB/s cap and a 50 ms maximum downtime) is refused up front with the reason when
 * neither throttling nor post-copy is allowed, completes with auto-converge when throttling is
 * allowed, and completes through post-copy when post-copy is allowed. After each move the guest's
 * own checks (memory pages, disk records, heartbeat) pass on the destination.
 */
class AdaptiveLiveMigrationTest extends ModesTest {
    static final String NON_CONVERGENT = "ferry.mem=128 ferry.memwss=96 ferry.rate=80";
    @Test
    void aLightGuestIsPlannedAsPlainPrecopyAndConverges() {
        String vm = "vm-light";
        GuestHealth before = cluster.boot(cluster.a, vm, 192, "ferry.mem=32 ferry.rate=4", false);

        MigrationView done = live(vm, ModesCluster.HOST_B, null, null, false, false);

        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        report("live a->b light guest, link probed", done);
        assertGuestContinues(cluster.b, vm, before);
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertThat(done.result().strategy()).isIn("precopy", "downtime-steps");
        assertThat(done.result().predictedTotalMs()).isNotNull();
        assertThat(hasEvent(done, "plan", "ms probe of the link host-a -> host-b")).as(describe(done)).isTrue();
        // no --bandwidth: QEMU's max-bandwidth is lifted, so the probed link is what the plan uses
        assertThat(hasEvent(done, "plan", "the link sets the pace")).as(describe(done)).isTrue();
        assertThat(hasEvent(done, "plan", "chose precopy")).as(describe(done)).isTrue();
    }

    @Test
    void aNonConvergentGuestIsRefusedWithoutAllowancesAndCompletesWithThrottleOrPostcopy() {
        String vm = "vm-busy";
        GuestHealth onA = cluster.boot(cluster.a, vm, 256, NON_CONVERGENT, false);

        MigrationView refused = live(vm, ModesCluster.HOST_B, 50, 20, false, false);

        assertThat(refused.state()).as(describe(refused)).isEqualTo("failed");
        assertThat(refused.errorCode()).isEqualTo("MIGRATION_REFUSED");
        assertThat(refused.errorMessage()).contains("no allowed strategy can move this guest within a downtime of 50 ms",
                "does not converge", "writable working set", "--allow-throttle", "--allow-postcopy");
        assertThat(refused.phase()).as("refused before anything changed").isIn("plan", "rollback");
        System.out.println("MEASURED refusal: " + refused.errorMessage());
        cluster.assertRunsOnlyOn(vm, cluster.a);
        GuestHealth stillOnA = assertGuestContinues(cluster.a, vm, onA);

        MigrationView throttled = live(vm, ModesCluster.HOST_B, 50, 20, false, true);

        assertThat(throttled.state()).as(describe(throttled)).isEqualTo("succeeded");
        report("live a->b non-convergent, --allow-throttle", throttled);
        assertThat(throttled.result().strategy()).isEqualTo("auto-converge");
        GuestHealth onB = assertGuestContinues(cluster.b, vm, stillOnA);
        cluster.assertRunsOnlyOn(vm, cluster.b);

        MigrationView postcopy = live(vm, ModesCluster.HOST_A, 50, 20, true, false);

        assertThat(postcopy.state()).as(describe(postcopy)).isEqualTo("succeeded");
        report("live b->a non-convergent, --allow-postcopy", postcopy);
        assertThat(postcopy.result().strategy()).isEqualTo("postcopy");
        assertThat(hasEvent(postcopy, "escalate", "switched to post-copy")).as(describe(postcopy)).isTrue();
        assertGuestContinues(cluster.a, vm, onB);
        cluster.assertRunsOnlyOn(vm, cluster.a);
    }

    private static MigrationView live(String vm, String to, Integer maxDowntime, Integer bandwidth, boolean postcopy, boolean throttle) {
        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, to, maxDowntime, bandwidth, null, "live",
                postcopy ? Boolean.TRUE : null, throttle ? Boolean.TRUE : null, null, null));
        return cluster.awaitFinished(started.id(), Duration.ofSeconds(300));
    }
}

package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Aborting a migration in each mode, in the phases where the guest is most exposed, leaves it
 * running on its source and nothing on the destination: live while it is being measured for the
 * plan; warm while the paused guest's state is on the wire; cold while its disk is being copied
 * (the guest was shut down, so it is started again, and the partial copy is deleted).
 */
class CancelInEveryModeTest extends ModesTest {
    @Test
    void anAbortInAnyModeLeavesTheGuestRunningOnItsSource() {
        String vm = "vm-abort";
        GuestHealth before = cluster.boot(cluster.a, vm, 256, "ferry.mem=96 ferry.rate=20", true);

        MigrationView live = abortIn(new MigrationRequest(vm, ModesCluster.HOST_B, null, 8, null, "live", true, true, null, null), "plan");
        GuestHealth h = afterAbort(vm, live, before);

        MigrationView warm = abortIn(new MigrationRequest(vm, ModesCluster.HOST_B, null, 4, null, "warm", null, null, null, null),
                "transfer");
        assertThat(ModesCluster.hasEvent(warm, "cleanup", "resumed the guest on host-a")).as(describe(warm)).isTrue();
        GuestHealth afterWarm = afterAbort(vm, warm, h);

        MigrationView cold = abortIn(new MigrationRequest(vm, ModesCluster.HOST_B, null, 1, null, "cold", null, null, null, null),
                "copy-disks");
        assertThat(ModesCluster.hasEvent(cold, "cleanup", "started 'vm-abort' again on host-a")).as(describe(cold)).isTrue();
        // The guest booted again: its heartbeat restarts, its disk records from before are all still there.
        ModesCluster.awaitHealth(cluster.a, vm, g -> g.heartbeat() != null && g.diskSeq() != null && g.diskSeq() > afterWarm.diskSeq(),
                Duration.ofSeconds(90));
        cluster.assertRunsOnlyOn(vm, cluster.a);
        try (var files = Files.list(cluster.b.poolDir())) {
            assertThat(files.toList()).as("nothing of the copy is left on host-b").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MigrationView abortIn(MigrationRequest req, String phase) {
        MigrationView started = cluster.api.startMigration(req);
        cluster.awaitPhase(started.id(), phase, Duration.ofSeconds(90));
        if ("transfer".equals(phase)) ModesCluster.sleep(1500);
        cluster.api.abort(started.id());
        MigrationView v = cluster.awaitFinished(started.id(), Duration.ofSeconds(120));
        System.out.println("MEASURED abort of " + req.mode() + " in phase " + phase + ": " + v.state() + " after "
                + Duration.between(v.createdAt(), v.finishedAt()).toMillis() + " ms");
        assertThat(v.state()).as(describe(v)).isEqualTo("aborted");
        return v;
    }

    private static GuestHealth afterAbort(String vm, MigrationView v, GuestHealth before) {
        cluster.assertRunsOnlyOn(vm, cluster.a);
        return assertGuestContinues(cluster.a, vm, before);
    }
}

package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.awaitHealth;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static dev.ferry.controller.modes.ModesCluster.hasEvent;
import static dev.ferry.controller.modes.ModesCluster.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.SerialLog;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cold and warm migration through the controller, end to end with real QEMU: a cold migration of
 * a guest whose disk is on its host's own pool (shut down, disk copied and verified, started on the
 * other host, source retired; and back with --keep-source), and a warm migration (paused, state in
 * one pass, resumed) whose measured pause is compared with state size over bandwidth. The guest's
 * own checks decide: every disk record written before the shutdown is found after the copy, and a
 * warm-migrated guest's memory and heartbeat carry on.
 */
class ColdAndWarmMigrationTest extends ModesTest {
    @Test
    void coldMigrationCopiesTheDiskVerifiedStartsOnTheDestinationAndRetiresTheSource() {
        String vm = "vm-cold";
        cluster.boot(cluster.a, vm, 160, "ferry.mem=16 ferry.rate=4", true);
        Path imageOnA = cluster.a.poolDir().resolve(vm + ".img");

        long[] stopSeq1 = new long[1];
        MigrationView done = migrateCold(vm, ModesCluster.HOST_B, null, cluster.a.serialLog(vm), stopSeq1);
        long stopSeq = stopSeq1[0];

        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        report("cold a->b (64 MiB local disk)", done);
        assertDiskIntactAfterBoot(cluster.b.serialLog(vm), stopSeq);
        awaitHealth(cluster.b, vm, h -> h.heartbeat() != null && h.heartbeat() > 5 && h.diskSeq() != null && h.diskSeq() > stopSeq,
                Duration.ofSeconds(60));
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertThat(Files.exists(imageOnA)).as("the source image is deleted").isFalse();
        assertThat(Files.exists(cluster.b.poolDir().resolve(vm + ".img"))).isTrue();
        MigrationResult r = done.result();
        assertThat(r.mode()).isEqualTo("cold");
        assertThat(r.strategy()).isEqualTo("disk-copy");
        assertThat(r.diskBytes()).isEqualTo(64L << 20);
        assertThat(r.pausedMs()).isPositive();
        assertThat(done.mode()).isEqualTo("cold");
        assertThat(hasEvent(done, "verify", "copied and verified")).as(describe(done)).isTrue();
        assertThat(hasEvent(done, "shutdown", "(ACPI)")).as(describe(done)).isTrue();

        long[] stopSeq2b = new long[1];
        MigrationView back = migrateCold(vm, ModesCluster.HOST_A, true, cluster.b.serialLog(vm), stopSeq2b);
        long stopSeq2 = stopSeq2b[0];

        assertThat(back.state()).as(describe(back)).isEqualTo("succeeded");
        report("cold b->a --keep-source", back);
        awaitHealth(cluster.a, vm, h -> h.diskSeq() != null && h.diskSeq() > stopSeq2, Duration.ofSeconds(60));
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertThat(Files.exists(cluster.b.poolDir().resolve(vm + ".img"))).as("--keep-source keeps the image").isTrue();
        assertThat(hasEvent(back, "info", "kept (--keep-source)")).as(describe(back)).isTrue();
    }

    @Test
    void warmMigrationPausesSendsTheStateOnceAndResumesOnTheDestination() {
        String vm = "vm-warm";
        GuestHealth before = cluster.boot(cluster.a, vm, 256, "ferry.mem=64 ferry.rate=32 ferry.hb=50", false);
        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, ModesCluster.HOST_B, null, 64, null, "warm",
                null, null, null, null));

        MigrationView done = cluster.awaitFinished(started.id(), Duration.ofSeconds(120));

        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        report("warm a->b at 64 MiB/s", done);
        GuestHealth after = assertGuestContinues(cluster.b, vm, before);
        assertThat(after.memoryPasses()).isGreaterThanOrEqualTo(before.memoryPasses());
        cluster.assertRunsOnlyOn(vm, cluster.b);
        MigrationResult r = done.result();
        assertThat(r.mode()).isEqualTo("warm");
        assertThat(r.iterations()).as("one pass over the paused guest (QEMU counts the final sync too)").isLessThanOrEqualTo(3);
        double expectedMs = r.transferredBytes() * 1000.0 / (64L << 20);
        assertThat((double) r.pausedMs()).as("pause vs state/bandwidth = %.0f ms: %s", expectedMs, r)
                .isBetween(expectedMs * 0.8, expectedMs * 1.5 + 1500);
        assertThat(r.heartbeatGapMs()).as("the guest was silent about as long as it was paused: %s", r)
                .isGreaterThan((long) (expectedMs * 0.5));
        assertThat(hasEvent(done, "info", "it was paused for")).as(describe(done)).isTrue();
    }

    /** Starts a cold migration, reads the source's DISK-STOP line while the disk is copied (the source log goes with the source), and waits for the end. */
    private MigrationView migrateCold(String vm, String to, Boolean keepSource, SerialLog sourceLog, long[] stopSeq) {
        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, to, null, null, null, "cold", null, null, null,
                keepSource));
        cluster.awaitPhase(started.id(), "copy-disks|start-destination|verify", Duration.ofSeconds(90));
        stopSeq[0] = seq(sourceLog, "^DISK-STOP ", "seq");
        return cluster.awaitFinished(started.id(), Duration.ofSeconds(180));
    }

    /** The first boot on the destination found every record of the source, none damaged. */
    private static void assertDiskIntactAfterBoot(SerialLog log, long stopSeq) {
        String verify = log.awaitLine("^DISK-VERIFY ", Duration.ofSeconds(60));
        assertThat(field(verify, "bad")).as(verify).isZero();
        assertThat(field(verify, "missing")).as(verify).isZero();
        assertThat(field(verify, "max_seq")).as("the copy holds the last record written before the shutdown: " + verify)
                .isEqualTo(stopSeq);
    }

    private static long seq(SerialLog log, String regex, String key) {
        return field(log.awaitLine(regex, Duration.ofSeconds(30)), key);
    }

    private static long field(String line, String key) {
        Matcher m = Pattern.compile("\\b" + key + "=(\\d+)").matcher(line);
        assertThat(m.find()).as("%s in %s", key, line).isTrue();
        return Long.parseLong(m.group(1));
    }
}

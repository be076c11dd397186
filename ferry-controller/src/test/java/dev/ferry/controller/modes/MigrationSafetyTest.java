package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.awaitHealth;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static dev.ferry.controller.modes.ModesCluster.hasEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.SafetyClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.RollbackRequest;
import dev.ferry.api.safety.TestMigrationRequest;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Migration safety end to end with real QEMU: a test migration that boots an isolated clone on the
 * other host and removes it again while the source runs on with byte-identical disks; a real
 * verification failure (the guest paused on the destination during the monitoring window) that
 * marks the job VERIFICATION_FAILED and migrates the VM back; and a rollback to the pre-migration
 * backup whose restored disk holds the guest's disk records up to the backup and none written after;
 * and a cold migration with a backup, rolled back cold, whose backup is deleted after its retention.
 */
class MigrationSafetyTest extends ModesTest {
    private static final Pattern VERIFY = Pattern.compile("DISK-VERIFY records=(\\d+) max_seq=(\\d+) bad=(\\d+) missing=(\\d+)");

    @Test
    void aTestMigrationBootsAnIsolatedCloneAndRemovesItWhileTheSourceRunsOnUntouched() throws Exception {
        String vm = "vm-test";
        Path disk = TestGuest.createRawDisk(cluster.a.poolDir(), vm + ".img", 16);
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Files.write(disk, data, java.nio.file.StandardOpenOption.WRITE);
        // No disk worker: nothing in the guest writes to the disk, so only Ferry could change it.
        GuestHealth before = boot(cluster.a, vm, "ferry.mem=16 ferry.rate=4 ferry.disk=none", disk, false);
        String digestBefore = sha256(disk);
        String uuid = cluster.a.client().show(vm).spec().uuid();
        List<String> poolA = files(cluster.a.poolDir());
        List<String> poolB = files(cluster.b.poolDir());
        assertThat(poolA).contains(vm + ".img");

        MigrationView started = SafetyClient.of(cluster.api).startTest(new TestMigrationRequest(vm, ModesCluster.HOST_B));
        MigrationView done = cluster.awaitFinished(started.id(), Duration.ofSeconds(240));

        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        assertThat(done.mode()).isEqualTo("test");
        assertThat(checks(done)).as(describe(done)).extracting(Check::check)
                .contains("clone-booted", "running-on-destination", "heartbeat-advancing", "guest-self-checks", "nics-isolated", "torn-down");
        assertThat(checks(done)).allMatch(Check::ok, "every check passed");
        assertThat(check(done, "nics-isolated").detail()).contains("hubport").contains("ferry-isolated");
        assertThat(hasEvent(done, "verify", "copied and verified")).as(describe(done)).isTrue();
        assertThat(hasEvent(done, "info", "point-in-time clone")).isTrue();
        assertThat(done.events().stream().filter(e -> e.message().contains("point-in-time clone")).findFirst().orElseThrow().message())
                .doesNotContain(uuid);
        // The source: still running, heartbeat on, disk byte for byte what it was.
        assertThat(cluster.a.client().show(vm).state()).isEqualTo(VmState.RUNNING);
        awaitHealth(cluster.a, vm, h -> h.heartbeat() > before.heartbeat() + 5, Duration.ofSeconds(30));
        assertThat(sha256(disk)).isEqualTo(digestBefore);
        // Nothing left of the clone on either host.
        assertThat(cluster.b.client().list()).isEmpty();
        assertThat(cluster.a.client().list()).extracting(v -> v.name()).containsExactly(vm);
        assertThat(files(cluster.a.poolDir())).as("no clone image left on the source").isEqualTo(poolA);
        assertThat(files(cluster.b.poolDir())).as("no copied image left on the destination").isEqualTo(poolB);
        assertThat(SafetyClient.of(cluster.api).report(done.id())).contains("# Migration " + done.id()).contains("| torn-down | yes |");
    }

    @Test
    void aCheckThatFailsForRealMarksTheJobAndTheVmIsMigratedBack() {
        String vm = "vm-rollback";
        Path disk = TestGuest.createRawDisk(cluster.shared, vm + ".img", 16);
        GuestHealth before = boot(cluster.a, vm, "ferry.mem=16 ferry.rate=4 ferry.disk=vda", disk, true);

        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, ModesCluster.HOST_B, null, null, null, "live", null,
                null, null, null, null, null, 8, true));
        cluster.awaitPhase(started.id(), "monitor", Duration.ofSeconds(180));
        cluster.b.client().pause(vm); // the guest stops for real: its heartbeat stands still during the window
        MigrationView failed = cluster.awaitFinished(started.id(), Duration.ofSeconds(60));

        assertThat(failed.state()).as(describe(failed)).isEqualTo("failed");
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.VERIFICATION_FAILED.name());
        assertThat(check(failed, "heartbeat-advancing").ok()).as(describe(failed)).isFalse();
        assertThat(check(failed, "running-on-destination").ok()).isFalse();
        assertThat(check(failed, "running-on-destination").detail()).contains("paused on " + ModesCluster.HOST_B);
        assertThat(check(failed, "nics-on-mapped-networks").ok()).as(describe(failed)).isTrue();
        assertThat(check(failed, "disks-identical").detail()).contains("on storage both hosts share");

        String backId = rollbackJob(failed);
        MigrationView back = cluster.awaitFinished(backId, Duration.ofSeconds(180));
        assertThat(back.state()).as(describe(back)).isEqualTo("succeeded");
        assertThat(back.source()).isEqualTo(ModesCluster.HOST_B);
        assertThat(back.destination()).isEqualTo(ModesCluster.HOST_A);
        assertThat(checks(back)).as(describe(back)).allMatch(Check::ok);
        cluster.assertRunsOnlyOn(vm, cluster.a);
        GuestHealth home = assertGuestContinues(cluster.a, vm, before);
        SafetyClient safety = SafetyClient.of(cluster.api);
        assertThat(safety.report(failed.id())).contains("VERIFICATION_FAILED").contains("| heartbeat-advancing | **NO** |");

        // The VM is no longer where the failed migration left it: rolling that one back again is refused.
        assertThatThrownBy(() -> safety.rollback(failed.id(), new RollbackRequest(null, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        // A rollback by hand of the way back migrates the VM once more, in the reverse direction.
        MigrationView again = cluster.awaitFinished(safety.rollback(back.id(), new RollbackRequest(null, null)).id(), Duration.ofSeconds(180));
        assertThat(again.state()).as(describe(again)).isEqualTo("succeeded");
        assertThat(again.mode()).isEqualTo("live");
        assertThat(again.destination()).isEqualTo(ModesCluster.HOST_B);
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertGuestContinues(cluster.b, vm, home);
    }

    @Test
    void aRollbackToTheBackupRestoresTheDiskAsItWasAtTheBackup() {
        String vm = "vm-backup";
        Path disk = TestGuest.createRawDisk(cluster.shared, vm + ".img", 16);
        GuestHealth before = boot(cluster.a, vm, "ferry.mem=16 ferry.rate=4 ferry.disk=vda", disk, true);

        MigrationView started = cluster.api.startMigration(new MigrationRequest(vm, ModesCluster.HOST_B, null, null, null, "live", null,
                null, null, null, null, true, 2, null));
        MigrationView done = cluster.awaitFinished(started.id(), Duration.ofSeconds(180));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        assertThat(hasEvent(done, "backup", "point-in-time copy of 1 disk(s)")).as(describe(done)).isTrue();
        SafetyClient safety = SafetyClient.of(cluster.api);
        assertThat(safety.backup(done.id()).state()).isEqualTo("retained");
        // The marker: disk records the guest writes on the destination, after the backup was taken.
        long afterMove = awaitHealth(cluster.b, vm, h -> h.diskSeq() != null, Duration.ofSeconds(30)).diskSeq();
        awaitHealth(cluster.b, vm, h -> h.diskSeq() > afterMove + 100, Duration.ofSeconds(60));

        assertThatThrownBy(() -> safety.rollback(done.id(), new RollbackRequest(true, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("loses every change").contains(safety.backup(done.id()).takenAt().toString());
                });
        assertThat(cluster.b.client().show(vm).state()).as("an unconfirmed restore changes nothing").isEqualTo(VmState.RUNNING);

        MigrationView restore = cluster.awaitFinished(safety.rollback(done.id(), new RollbackRequest(true, true)).id(), Duration.ofSeconds(180));

        assertThat(restore.state()).as(describe(restore)).isEqualTo("succeeded");
        assertThat(restore.mode()).isEqualTo("restore");
        cluster.assertRunsOnlyOn(vm, cluster.a);
        GuestHealth restored = awaitHealth(cluster.a, vm, h -> h.diskSeq() != null, Duration.ofSeconds(120));
        Matcher m = VERIFY.matcher(cluster.a.serialLog(vm).lastMatch(VERIFY.pattern()).orElseThrow());
        assertThat(m.find()).isTrue();
        long maxSeq = Long.parseLong(m.group(2));
        assertThat(Long.parseLong(m.group(3))).as("bad records").isZero();
        assertThat(Long.parseLong(m.group(4))).as("missing records").isZero();
        assertThat(maxSeq).as("records written before the migration are on the restored disk").isGreaterThanOrEqualTo(before.diskSeq());
        assertThat(maxSeq).as("no record written on the destination after the backup").isLessThan(afterMove);
        assertThat(restored.ok()).isTrue();
        assertThat(safety.backup(done.id()).state()).isEqualTo("restored");
        assertThat(cluster.a.client().show(vm).spec().disks().get(0).path()).isEqualTo(safety.backup(done.id()).images().get(0).path());
        assertThatThrownBy(() -> safety.rollback(done.id(), new RollbackRequest(true, true)))
                .as("the VM is back on its source: the migration cannot be rolled back again")
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
    }

    @Test
    void aColdMigrationWithABackupRollsBackColdAndTheBackupIsDeletedAfterItsRetention() {
        String vm = "vm-cold-safe";
        Path disk = TestGuest.createRawDisk(cluster.a.poolDir(), vm + ".img", 16);
        boot(cluster.a, vm, "ferry.mem=16 ferry.rate=4 ferry.disk=vda", disk, true);

        MigrationView done = cluster.awaitFinished(cluster.api.startMigration(new MigrationRequest(vm, ModesCluster.HOST_B, null, null,
                null, "cold", null, null, null, null, null, true, 2, null)).id(), Duration.ofSeconds(240));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        assertThat(check(done, "disks-identical").detail()).contains("sha256");
        SafetyClient safety = SafetyClient.of(cluster.api);
        var backup = safety.backup(done.id());
        assertThat(backup.state()).isEqualTo("retained");
        Path image = Path.of(backup.images().get(0).path());
        assertThat(image).exists().startsWith(cluster.a.poolDir());

        MigrationView back = cluster.awaitFinished(safety.rollback(done.id(), new RollbackRequest(null, null)).id(), Duration.ofSeconds(240));
        assertThat(back.state()).as(describe(back)).isEqualTo("succeeded");
        assertThat(back.mode()).isEqualTo("cold");
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertThat(checks(back)).as(describe(back)).allMatch(Check::ok);

        assertThat(cluster.controller.safety().sweep(java.time.Instant.now().plus(Duration.ofHours(23)))).isZero();
        assertThat(image).exists();
        assertThat(cluster.controller.safety().sweep(java.time.Instant.now().plus(Duration.ofHours(25)))).isEqualTo(1);
        assertThat(image).doesNotExist();
        assertThat(safety.backup(done.id()).state()).isEqualTo("deleted");
        assertThat(cluster.a.client().show(vm).state()).isEqualTo(VmState.RUNNING);
    }

    private static GuestHealth boot(TestAgent host, String vm, String params, Path disk, boolean diskWorker) {
        VmSpec s = TestGuest.spec(vm, 128, params, disk);
        host.client().define(new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(),
                s.disks(), List.of(new NicSpec(NicModel.VIRTIO, "user", null)), s.serialLog()));
        host.client().start(vm);
        return awaitHealth(host, vm, g -> g.heartbeat() != null && g.memoryPasses() != null && (!diskWorker || (g.diskSeq() != null
                && g.diskSeq() > 5)), Duration.ofSeconds(120));
    }

    /** The automatic rollback is started right after the failed job ends: wait (bounded) until the job names it. */
    private static String rollbackJob(MigrationView failed) {
        Pattern p = Pattern.compile("rollbackOnFailedCheck: migration (\\S+) moves");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        MigrationView v = failed;
        while (System.nanoTime() < deadline) {
            for (MigrationEvent e : v.events()) {
                Matcher m = p.matcher(e.message());
                if (m.find()) return m.group(1);
            }
            ModesCluster.sleep(200);
            v = cluster.api.migration(failed.id());
        }
        throw new AssertionError("no automatic rollback recorded: " + describe(v));
    }

    private static List<Check> checks(MigrationView v) {
        assertThat(v.result()).as(describe(v)).isNotNull();
        return v.result().checks();
    }

    private static Check check(MigrationView v, String name) {
        return checks(v).stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no check " + name
                + ": " + describe(v)));
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

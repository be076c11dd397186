package dev.ferry.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.DiskCheck;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.ServerConfig;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live migration without shared storage, end to end through the controller: two hosts with
 * separate pools, a guest whose disk worker writes 200 records a second to its first disk, and a
 * second disk of fixed content. The first attempt's destination QEMU is killed while the disks are
 * being mirrored: the job fails, the guest runs on untouched on the source, and the destination
 * holds nothing (no VM, no target image, no mirror left on the source). The retry moves the guest
 * with both disks, converted to qcow2: it continues on the destination, the fixed disk is identical
 * to the kept source image ({@code qemu-img compare}), the kept source data disk (the state at the
 * switchover) and the destination's data disk both verify record by record, and the destination
 * holds every record the guest wrote.
 */
@Tag("qemu")
@Timeout(600)
class StorageMigrationTest {
    private static final String VM = "vm-local";
    private static final Duration JOB = Duration.ofSeconds(240);

    private Path dir;
    private TestPki pki;
    private TestAgent a;
    private TestAgent b;
    private FerryController controller;
    private ControllerClient api;

    @BeforeEach
    void start() {
        dir = TestDirs.create("stor");
        pki = TestPki.create(dir.resolve("pki"));
        a = TestAgent.start(pki, "host-a");
        b = TestAgent.start(pki, "host-b");
        DatabaseConfig db = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        controller = FerryController.start(new ServerConfig("127.0.0.1:0", dir.resolve("controller").toString(),
                pki.hostDir("controller").toString(), new ServerConfig.Database(db.jdbcUrl(), db.user(), db.password()),
                List.of(new ServerConfig.Host("host-a", a.url().toString()), new ServerConfig.Host("host-b", b.url().toString())), 2, null,
                dev.ferry.controller.modes.TestMonitor.SECONDS, null));
        api = new ControllerClient(pki.clientSsl(), URI.create("https://127.0.0.1:" + controller.port()));
    }

    @AfterEach
    void stop() {
        try {
            if (controller != null) controller.close();
        } finally {
            if (a != null) a.close();
            if (b != null) b.close();
            TestDirs.deleteQuietly(dir);
        }
    }

    @Test
    void movesARunningGuestWithItsLocalDisksBetweenHostsWithSeparatePools() throws Exception {
        Path data = TestGuest.createRawDisk(a.poolDir(), VM + ".img", 64);
        Path fixed = TestGuest.createRawDisk(a.poolDir(), VM + "-fixed.img", 48);
        run("qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 40M", "-c", "write -P 0xc3 44M 2M", fixed.toString());
        a.client().define(TestGuest.spec(VM, 192, "ferry.mem=32 ferry.rate=10 ferry.disk=vda ferry.diskrate=200", data, fixed));
        a.client().start(VM);
        GuestHealth booted = awaitHealth(a, h -> h.diskSeq() != null && h.heartbeat() != null, Duration.ofSeconds(90));

        // 1. Destination killed while the disks are mirrored (capped at 2 MiB/s, so the 40 MiB disk takes a while).
        MigrationView first = api.startMigration(request(2));
        awaitMirroring(first.id());
        long destPid = b.client().show(VM).pid();
        ProcessHandle.of(destPid).ifPresent(ProcessHandle::destroyForcibly);
        MigrationView failed = awaitFinished(first.id());
        System.out.println("first attempt:\n" + describe(failed));
        assertThat(failed.state()).as(describe(failed)).isEqualTo("failed");
        assertThat(failed.errorMessage()).doesNotContain("cleanup incomplete");
        assertThat(a.client().show(VM).state()).isEqualTo(VmState.RUNNING);
        GuestHealth afterFailure = awaitHealth(a, h -> h.diskSeq() > booted.diskSeq() + 400, Duration.ofSeconds(60));
        assertThat(afterFailure.ok()).isTrue();
        assertThat(StorageClient.of(a.client()).mirrorStatus(VM).jobs()).as("mirror jobs left on the source").isEmpty();
        assertThat(b.client().list()).as("VMs on the destination").isEmpty();
        assertThat(listPool(b)).as("images left in the destination pool").isEmpty();
        assertThat(QemuReaper.pidsUnder(b.dir())).isEmpty();

        // 2. The retry moves the guest and both disks, as qcow2, keeping the source images.
        long t0 = System.nanoTime();
        MigrationView done = awaitFinished(api.startMigration(request(null)).id());
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("retry:\n" + describe(done));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        System.out.printf("MEASURED live migration with local disks (64 MiB data disk at 200 records/s + 48 MiB fixed disk,"
                        + " 192 MiB guest): wall %d ms, QEMU total %d ms, downtime %s ms, heartbeat gap %s ms, RAM sent %.1f MiB%n",
                wallMs, done.result().totalTimeMs(), done.result().downtimeMs(), done.result().heartbeatGapMs(),
                done.result().transferredBytes() / 1048576.0);
        assertThat(a.client().list()).as("VMs left on the source").isEmpty();
        VmSpec moved = b.client().show(VM).spec();
        assertThat(moved.disks()).allSatisfy(d -> {
            assertThat(d.format()).isEqualTo(DiskFormat.QCOW2);
            assertThat(d.path()).startsWith(b.poolDir().toString());
        });
        GuestHealth onB = awaitHealth(b, h -> h.diskSeq() != null && h.diskSeq() > afterFailure.diskSeq()
                && h.heartbeat() != null && h.heartbeat() > afterFailure.heartbeat(), Duration.ofSeconds(60));
        assertThat(onB.ok()).as("guest health on host-b: %s", onB).isTrue();
        assertThat(Files.exists(data)).as("source image kept (keepSource)").isTrue();

        DiskSpec fixedOnB = moved.disks().get(1);
        assertThat(run("qemu-img", "compare", "-U", "-f", "raw", "-F", "qcow2", fixed.toString(), fixedOnB.path()))
                .as("qemu-img compare of the kept source image and the destination's copy").isZero();

        Map<String, Long> source = DiskCheck.verify(a, "check-src", new DiskSpec("data", data.toString(), DiskFormat.RAW, null, null));
        long lastSeq = DiskCheck.stopAndLastSeq(b, VM);
        Map<String, Long> dest = DiskCheck.verify(b, "check-dst", moved.disks().get(0));
        System.out.println("MEASURED records: source image at switchover " + source + ", destination after stop " + dest
                + ", last written " + lastSeq);
        assertThat(source).containsEntry("bad", 0L).containsEntry("missing", 0L);
        assertThat(dest).containsEntry("bad", 0L).containsEntry("missing", 0L).containsEntry("max_seq", lastSeq);
        assertThat(source.get("max_seq")).isPositive().isLessThan(lastSeq);
    }

    private MigrationRequest request(Integer bandwidthMiBps) throws IOException {
        String json = "{\"vm\":\"" + VM + "\",\"to\":\"host-b\"" + (bandwidthMiBps == null ? "" : ",\"bandwidthMiBps\":" + bandwidthMiBps)
                + ",\"storage\":{\"diskFormat\":\"qcow2\",\"keepSource\":true}}";
        return Json.mapper().readValue(json, MigrationRequest.class);
    }

    private void awaitMirroring(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) throw new AssertionError("migration ended before its disks were mirrored: " + describe(v));
            if ("mirror-disks".equals(v.phase()) && v.events().stream().anyMatch(e -> e.message().contains("MiB mirrored"))) return;
            if (System.nanoTime() > deadline) throw new AssertionError("no disk mirror under way within 60 s: " + describe(v));
            sleep(100);
        }
    }

    private MigrationView awaitFinished(String id) {
        long deadline = System.nanoTime() + JOB.toNanos();
        while (true) {
            MigrationView v = api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("migration did not finish: " + describe(v));
            sleep(200);
        }
    }

    private GuestHealth awaitHealth(TestAgent host, Predicate<GuestHealth> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GuestHealth h = host.client().guestHealth(VM);
            if (!h.ok()) throw new AssertionError("guest reports a problem: " + h + "\n" + host.serialLog(VM).tail(20));
            if (h.diskSeq() != null && condition.test(h)) return h;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("guest did not reach the expected state: " + h + "\n" + host.serialLog(VM).tail(20));
            }
            sleep(200);
        }
    }

    private static List<Path> listPool(TestAgent host) throws IOException {
        try (Stream<Path> s = Files.list(host.poolDir())) {
            return s.toList();
        }
    }

    private static String describe(MigrationView v) {
        return v.state() + " phase=" + v.phase() + " " + v.errorCode() + " " + v.errorMessage() + "\n"
                + (v.events() == null ? "" : v.events().stream().map((MigrationEvent e) -> "  " + e.at() + " " + e.kind() + ": "
                + e.message()).collect(Collectors.joining("\n")));
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", cmd) + " hangs");
        if (p.exitValue() != 0) System.out.println(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        return p.exitValue();
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

package dev.ferry.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.testing.DiskCheck;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.storage.VmDisks;
import dev.ferry.api.vm.VmInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clones and templates on one host with real QEMU. A running guest whose disk worker writes 200
 * records a second is cloned full (one blockdev-backup transaction) and linked (one
 * blockdev-snapshot transaction, after which the source writes to an overlay): both clones get a
 * new identity and boot, and their disk workers find a consistent disk (every record of the last
 * ring up to the clone point, none torn) whose last record lies within the clone call. A paused
 * guest's full clone is byte-identical to its disk. Templates refuse to start and deploy linked
 * and full copies whose data equal the template's.
 */
@Tag("qemu")
@Timeout(400)
class CloneTest {
    private static final String PARAMS = "ferry.disk=vda ferry.diskrate=200";

    private TestAgent agent;
    private AgentClient client;
    private StorageClient storage;

    @BeforeEach
    void start() {
        agent = TestAgent.start();
        client = agent.client();
        storage = StorageClient.of(client);
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
    }

    @Test
    void clonesARunningVmAtOnePointInTimeWithANewIdentity() throws Exception {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "vm-src.img", 64);
        VmSpec base = TestGuest.spec("vm-src", 128, PARAMS, disk);
        client.define(withNic(base));
        client.start("vm-src");
        GuestHealth h0 = awaitDiskSeq("vm-src", 200);

        long t0 = System.nanoTime();
        VmInfo full = storage.clone("vm-src", new CloneRequest("vm-full", false, null));
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        long afterFull = awaitDiskSeq("vm-src", 0).diskSeq();
        t0 = System.nanoTime();
        VmInfo linked = storage.clone("vm-src", new CloneRequest("vm-linked", true, null));
        long linkedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("MEASURED clone of a running VM (64 MiB disk, guest writing 200 records/s): full %d ms, linked %d ms%n",
                fullMs, linkedMs);

        VmInfo src = client.show("vm-src");
        for (VmInfo c : List.of(full, linked)) {
            assertThat(c.spec().uuid()).isNotBlank().isNotEqualTo(src.spec().uuid());
            assertThat(c.spec().nics()).hasSize(1);
            assertThat(c.spec().nics().get(0).mac()).isNotBlank().isNotEqualTo(src.spec().nics().get(0).mac());
            assertThat(c.spec().serialLog()).isNull();
        }
        assertThat(full.spec().uuid()).isNotEqualTo(linked.spec().uuid());
        assertThat(full.spec().disks().get(0).format()).isEqualTo(DiskFormat.RAW);
        DiskSpec linkedDisk = linked.spec().disks().get(0);
        assertThat(linkedDisk.format()).isEqualTo(DiskFormat.QCOW2);
        VmDisks linkedInfo = storage.disks("vm-linked");
        assertThat(linkedInfo.disks().get(0).backingFile()).isEqualTo(disk.toString());
        DiskSpec srcDisk = src.spec().disks().get(0);
        assertThat(srcDisk.format()).as("the source now writes to an overlay of its old image").isEqualTo(DiskFormat.QCOW2);
        assertThat(storage.disks("vm-src").disks().get(0).backingFile()).isEqualTo(disk.toString());
        assertThat(Files.getPosixFilePermissions(disk)).as("the shared base is read-only")
                .doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        GuestHealth srcAfter = awaitDiskSeq("vm-src", afterFull + 400);
        assertThat(srcAfter.ok()).as("source guest health %s", srcAfter).isTrue();

        client.start("vm-full");
        client.start("vm-linked");
        Map<String, Long> fullCheck = DiskCheck.fields(agent.serialLog("vm-full").awaitLine("^DISK-VERIFY ", Duration.ofSeconds(90)));
        Map<String, Long> linkedCheck = DiskCheck.fields(agent.serialLog("vm-linked").awaitLine("^DISK-VERIFY ", Duration.ofSeconds(90)));
        System.out.println("MEASURED clone disks at boot: full " + fullCheck + ", linked " + linkedCheck + "; source seq before "
                + h0.diskSeq() + ", after the full clone " + afterFull);
        assertThat(fullCheck).containsEntry("bad", 0L).containsEntry("missing", 0L);
        assertThat(fullCheck.get("max_seq")).isBetween(h0.diskSeq(), afterFull + 400);
        assertThat(linkedCheck).containsEntry("bad", 0L).containsEntry("missing", 0L);
        assertThat(linkedCheck.get("max_seq")).isGreaterThanOrEqualTo(fullCheck.get("max_seq"));
        awaitDiskSeq("vm-full", fullCheck.get("max_seq") + 50);
        awaitDiskSeq("vm-linked", linkedCheck.get("max_seq") + 50);

        client.pause("vm-src");
        VmInfo frozen = storage.clone("vm-src", new CloneRequest("vm-frozen", false, null));
        DiskSpec frozenDisk = frozen.spec().disks().get(0);
        assertThat(compare(Path.of(srcDisk.path()), srcDisk.format(), Path.of(frozenDisk.path()), frozenDisk.format()))
                .as("a paused guest's full clone equals its disk").isZero();
        client.resume("vm-src");
        awaitDiskSeq("vm-src", srcAfter.diskSeq() + 50);
    }

    @Test
    void templatesAreNeverStartedAndDeployLinkedAndFullCopies() throws Exception {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "tpl.img", 32);
        assertThat(run("qemu-io", "-f", "raw", "-c", "write -P 0x3c 0 6M", "-c", "write -P 0x7e 20M 1M", disk.toString())).isZero();
        client.define(withNic(TestGuest.spec("tpl", 128, PARAMS, disk)));
        assertCode(() -> storage.deploy("tpl", new CloneRequest("d0", true, null)), ErrorCode.INVALID_STATE);

        VmDisks marked = storage.markTemplate("tpl");
        assertThat(marked.template()).isTrue();
        assertCode(() -> client.start("tpl"), ErrorCode.INVALID_STATE);

        VmInfo linked = storage.deploy("tpl", new CloneRequest("d1", true, null));
        VmInfo full = storage.deploy("tpl", new CloneRequest("d2", false, null));
        assertThat(storage.disks("d1").disks().get(0).backingFile()).isEqualTo(disk.toString());
        assertThat(storage.disks("d2").disks().get(0).backingFile()).isNull();
        assertThat(client.show("tpl").spec().disks().get(0).path()).as("a template's disks stay as they are").isEqualTo(disk.toString());
        for (VmInfo d : List.of(linked, full)) {
            DiskSpec dd = d.spec().disks().get(0);
            assertThat(compare(disk, DiskFormat.RAW, Path.of(dd.path()), dd.format())).as("deployed %s equals the template", d.name()).isZero();
        }

        VmInfo linkedOfStopped = storage.clone("d2", new CloneRequest("c1", true, null));
        DiskSpec d2Now = client.show("d2").spec().disks().get(0);
        assertThat(d2Now.format()).as("d2 writes to an overlay now").isEqualTo(DiskFormat.QCOW2);
        DiskSpec c1 = linkedOfStopped.spec().disks().get(0);
        assertThat(compare(Path.of(d2Now.path()), d2Now.format(), Path.of(c1.path()), c1.format())).isZero();

        assertCode(() -> storage.deleteImages(new DeleteImagesRequest(List.of(disk.toString()))), ErrorCode.INVALID_STATE);
        assertCode(() -> storage.clone("tpl", new CloneRequest("d1", false, null)), ErrorCode.VM_EXISTS);
        assertThat(Files.exists(disk)).isTrue();
    }

    private static VmSpec withNic(VmSpec s) {
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(), s.disks(),
                List.of(new NicSpec(NicModel.VIRTIO, "user", null)), s.serialLog());
    }

    private GuestHealth awaitDiskSeq(String vm, long above) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.guestHealth(vm), h -> h.diskSeq() != null && h.diskSeq() > above);
    }

    private static int compare(Path a, DiskFormat fa, Path b, DiskFormat fb) throws Exception {
        return run("qemu-img", "compare", "-U", "-f", fa.json(), "-F", fb.json(), a.toString(), b.toString());
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", cmd) + " hangs");
        if (p.exitValue() != 0) System.out.println(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        return p.exitValue();
    }
}

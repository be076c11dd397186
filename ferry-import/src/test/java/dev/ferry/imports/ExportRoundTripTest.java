package dev.ferry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.export.ExportResult;
import dev.ferry.imports.export.Exporter;
import dev.ferry.imports.testing.GuestDisk;
import dev.ferry.imports.testing.GuestRun;
import dev.ferry.imports.testing.ImportDirs;
import dev.ferry.imports.testing.Img;
import dev.ferry.imports.testing.Sources;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The round trip of the issue: import an OVA, run the VM (its disk worker appends records), export
 * it to an OVA again, re-import that: the re-imported disk is identical to the one the VM ran on
 * ({@code qemu-img compare}), and booting it finds every record including the new ones. The same VM
 * exported to VHDX gives a disk identical too; a failed export leaves nothing behind.
 */
@Tag("qemu")
@Timeout(600)
class ExportRoundTripTest {
    final QemuImg qemuImg = QemuImg.system();
    Path src;
    Path pool;
    Path pool2;
    Path out;

    @BeforeEach
    void setUp() throws Exception {
        src = ImportDirs.create("trip");
        pool = Files.createDirectories(src.resolveSibling(src.getFileName() + "-pool"));
        pool2 = Files.createDirectories(src.resolveSibling(src.getFileName() + "-pool2"));
        out = Files.createDirectories(src.resolveSibling(src.getFileName() + "-out"));
    }

    @AfterEach
    void tearDown() {
        for (Path p : new Path[] {src, pool, pool2, out}) ImportDirs.delete(p);
    }

    @Test
    void ovaImportRunExportReimportKeepsTheDiskIdentical() {
        GuestDisk golden = GuestDisk.get();
        Img.convert(golden.raw(), "vmdk", "subformat=streamOptimized", src.resolve("svc-disk1.vmdk"));
        Sources.ovf(src, "svc", "Debian GNU/Linux 12 (64-bit)", "svc-disk1.vmdk", (long) GuestDisk.SIZE_MIB << 20, Sources.SATA, false);
        Sources.manifest(src, "svc", "SHA256", "svc.ovf", "svc-disk1.vmdk");
        Path ova = Sources.ova(src.resolve("svc.ova"), src, "svc.ovf", "svc.mf", "svc-disk1.vmdk");
        ImportOptions o = new ImportOptions(null, Map.of("*", "user"), null, null, null, null, null, null, null, null, null, null);
        VmSpec first = new Importer(qemuImg).run(ova, o, pool, JobProgress.NONE).spec();

        long seq = runAndAppend(first);
        assertThat(seq).isGreaterThan(golden.lastSeq());

        Path exported = out.resolve("svc-back.ova");
        ExportResult er = new Exporter(qemuImg).toOva(first, exported, JobProgress.NONE);
        assertThat(er.files()).containsExactly(exported.toString());
        assertThat(er.notes()).anySatisfy(n -> assertThat(n).contains("virtio"));
        assertThat(ImportDirs.list(out)).containsExactly("svc-back.ova");
        assertThat(Img.run(java.util.List.of("tar", "tf", exported.toString())).lines().toList())
                .containsExactly("svc.ovf", "svc.mf", "svc-disk0.vmdk");

        VmSpec again = new Importer(qemuImg).run(exported, o.withName("svc-again"), pool2, JobProgress.NONE).spec();
        assertThat(again.disks()).singleElement().satisfies(d -> assertThat(d.bus()).isEqualTo(DiskBus.SATA));
        assertThat(Img.identical(Path.of(first.disks().get(0).path()), "qcow2", Path.of(again.disks().get(0).path()), "qcow2"))
                .as("re-imported disk identical to the one the VM ran on").isTrue();
        VmSpec virtio = withBus(again, DiskBus.VIRTIO_BLK);
        String verify = GuestDisk.verify(virtio, src.resolve("run-again"));
        System.out.println("re-imported: " + verify + " (last seq written " + seq + ")");
        assertThat(verify).contains("max_seq=" + seq + " bad=0 missing=0");

        ExportResult vhdx = new Exporter(qemuImg).toVhdx(first, out, JobProgress.NONE);
        assertThat(vhdx.files()).containsExactly(out.resolve("svc-disk0.vhdx").toString());
        assertThat(Img.identical(Path.of(first.disks().get(0).path()), "qcow2", out.resolve("svc-disk0.vhdx"), "vhdx")).isTrue();
        assertThat(vhdx.notes()).anySatisfy(n -> assertThat(n).contains("generation 1"));
    }

    @Test
    void exportThatCannotFinishLeavesNothingBehind() throws Exception {
        Path disk = src.resolve("d.raw");
        Img.run(java.util.List.of("qemu-img", "create", "-q", "-f", "raw", disk.toString(), "4M"));
        VmSpec vm = new VmSpec("gone", null, 1, 128, null, "q35", null, new dev.ferry.api.spec.BootSpec(null, null, null, "a"),
                java.util.List.of(new dev.ferry.api.spec.DiskSpec("a", disk.toString(), dev.ferry.api.spec.DiskFormat.RAW, null, null),
                        new dev.ferry.api.spec.DiskSpec("b", src.resolve("missing.raw").toString(), dev.ferry.api.spec.DiskFormat.RAW, null, null)),
                java.util.List.of(), null);
        assertThatThrownBy(() -> new Exporter(qemuImg).toOva(vm, out.resolve("gone.ova"), JobProgress.NONE)).hasMessageContaining("missing.raw");
        assertThatThrownBy(() -> new Exporter(qemuImg).toVhdx(vm, out, JobProgress.NONE)).hasMessageContaining("missing.raw");
        assertThat(ImportDirs.list(out)).isEmpty();
    }

    /** Boots the VM read-write until its disk worker has appended records, powers it down, returns the last seq. */
    static long runAndAppend(VmSpec spec) {
        try (GuestRun g = GuestRun.boot(withBus(spec, DiskBus.VIRTIO_BLK), "ferry.disk=vda ferry.diskrate=200",
                Path.of(spec.disks().get(0).path()).resolveSibling("run-" + spec.name()))) {
            g.await("^DISK-VERIFY .*bad=0 missing=0", Duration.ofSeconds(90));
            g.await("^DISK-OK ", Duration.ofSeconds(30));
            assertThat(g.powerDown()).isTrue();
            Matcher m = Pattern.compile("seq=(\\d+) bad=0").matcher(g.await("^DISK-STOP ", Duration.ofSeconds(5)));
            assertThat(m.find()).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    static VmSpec withBus(VmSpec s, DiskBus bus) {
        return s.withDisks(s.disks().stream().map(d -> new dev.ferry.api.spec.DiskSpec(d.id(), d.path(), d.format(), bus, d.cache())).toList());
    }
}

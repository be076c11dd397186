package dev.ferry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.testing.GuestDisk;
import dev.ferry.imports.testing.ImportDirs;
import dev.ferry.imports.testing.Img;
import dev.ferry.imports.testing.Sources;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance path with real data: the test guest's disk worker writes records to a raw disk,
 * qemu-img turns that disk into each foreign format, a hand-written description wraps it, and the
 * import must give a disk identical to the original ({@code qemu-img compare}). The VMDK, OVA and
 * VHDX imports are also booted as mapped (QEMU with the spec's own devices, test guest kernel) and
 * the worker, read-only, must find every record: {@code DISK-VERIFY bad=0 missing=0}.
 */
@Tag("qemu")
@Timeout(600)
class ImportBootTest {
    static final Map<String, String> NETS = Map.of("*", "user");
    final Importer importer = new Importer(QemuImg.system());
    GuestDisk golden;
    Path src;
    Path pool;

    @BeforeEach
    void setUp() throws Exception {
        golden = GuestDisk.get();
        src = ImportDirs.create("boot");
        pool = Files.createDirectories(src.resolveSibling(src.getFileName() + "-pool"));
    }

    @AfterEach
    void tearDown() {
        ImportDirs.delete(src);
        ImportDirs.delete(pool);
    }

    ImportOptions opts(String name) {
        return new ImportOptions(name, NETS, null, null, null, null, null, null, null, null, null, null);
    }

    void assertSameAsGolden(VmSpec spec) {
        Path disk = Path.of(spec.disks().get(0).path());
        assertThat(Img.identical(golden.raw(), "raw", disk, spec.disks().get(0).format().json()))
                .as("%s holds exactly the guest-written data", disk).isTrue();
    }

    void assertBootsWithDataIntact(VmSpec spec) {
        assertThat(spec.disks().get(0).bus()).isEqualTo(DiskBus.VIRTIO_BLK);
        String line = GuestDisk.verify(spec, src.resolve("run-" + spec.name()));
        System.out.println(spec.name() + ": " + line + " (writer's last seq " + golden.lastSeq() + ")");
        golden.assertIntact(line);
    }

    @Test
    void vmwareVmdkInEverySubformatImportsIntactAndTheSparseOneBoots() {
        for (String sub : new String[] {"monolithicSparse", "monolithicFlat", "twoGbMaxExtentSparse", "twoGbMaxExtentFlat", "streamOptimized"}) {
            Path dir = src.resolve(sub);
            Img.convert(golden.raw(), "vmdk", "subformat=" + sub, mk(dir).resolve("disk.vmdk"));
            Path vmx = Sources.vmx(dir, "vm-" + sub, "ubuntu-64", "sata0:0", "disk.vmdk", null, false);
            ImportResult r = importer.run(vmx, opts(null), pool, JobProgress.NONE);
            assertThat(r.spec().name()).isEqualTo("vm-" + sub.toLowerCase());
            assertThat(r.report().disks().get(0).sourceFormat()).isEqualTo("vmdk");
            assertThat(r.report().disks().get(0).virtualBytes()).isEqualTo((long) GuestDisk.SIZE_MIB << 20);
            assertSameAsGolden(r.spec());
            if (sub.equals("monolithicSparse")) assertBootsWithDataIntact(r.spec());
        }
    }

    @Test
    void ovaImportsIntactAndBoots() {
        Img.convert(golden.raw(), "vmdk", "subformat=streamOptimized", src.resolve("app-disk1.vmdk"));
        Sources.ovf(src, "app", "Ubuntu Linux (64-bit)", "app-disk1.vmdk", (long) GuestDisk.SIZE_MIB << 20, Sources.SATA, false);
        Sources.manifest(src, "app", "SHA256", "app.ovf", "app-disk1.vmdk");
        Path ova = Sources.ova(src.resolve("app.ova"), src, "app.ovf", "app.mf", "app-disk1.vmdk");
        long[] last = {0, 0};
        ImportResult r = importer.run(ova, opts(null), pool, (phase, done, total) -> { last[0] = done; last[1] = total; });
        assertThat(last[0]).isEqualTo(last[1]).isPositive();
        assertThat(r.report().sourceKind()).isEqualTo("ova");
        assertThat(r.spec().nics()).singleElement().satisfies(n -> assertThat(n.model()).isEqualTo(NicModel.VIRTIO));
        assertThat(ImportDirs.list(pool)).as("staging removed").containsExactly("app-disk0.qcow2");
        assertSameAsGolden(r.spec());
        assertBootsWithDataIntact(r.spec());
    }

    @Test
    void hyperVVhdxImportsIntactAndBootsAndVhdVdiCompareIdentical() {
        Img.convert(golden.raw(), "vhdx", null, mk(src.resolve("hv/Virtual Hard Disks")).resolve("web.vhdx"));
        Sources.hyperv(src.resolve("hv"), "WEB01", 1, "web.vhdx", false);
        ImportOptions virtio = new ImportOptions(null, Map.of("External Switch", "user"), null, ImportOptions.Virtio.YES, null, null, null,
                null, null, null, null, null);
        ImportResult r = importer.run(src.resolve("hv"), virtio, pool, JobProgress.NONE);
        assertThat(r.spec().name()).isEqualTo("web01");
        assertThat(r.report().notes()).anySatisfy(n -> assertThat(n.message()).contains("ide 0:0 -> virtio-blk"));
        assertSameAsGolden(r.spec());
        assertBootsWithDataIntact(r.spec());

        Img.convert(golden.raw(), "vpc", "subformat=dynamic,force_size=on", src.resolve("old.vhd"));
        ImportOptions gen1 = new ImportOptions("old", NETS, null, null, 1, 128, null, 1, null, null, null, null);
        assertSameAsGolden(importer.run(src.resolve("old.vhd"), gen1, pool, JobProgress.NONE).spec());

        Img.convert(golden.raw(), "vdi", null, mk(src.resolve("vb")).resolve("deb.vdi"));
        Path vbox = Sources.vbox(src.resolve("vb"), "Debian", "Debian_64", "deb.vdi", "VDI", "AHCI", false);
        ImportResult vb = importer.run(vbox, opts(null), pool, JobProgress.NONE);
        assertThat(vb.spec().disks().get(0).bus()).isEqualTo(DiskBus.VIRTIO_BLK);
        assertSameAsGolden(vb.spec());
    }

    static Path mk(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

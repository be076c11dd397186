package dev.ferry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.testing.ImportDirs;
import dev.ferry.imports.testing.Img;
import dev.ferry.imports.testing.Sources;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every source kind, hand-written the way its product writes it, maps to a spec with the expected
 * devices: controllers and NIC models chosen by the guest's driver availability, MACs kept,
 * networks renamed, firmware and secure boot, and the unmapped settings in the report. Uses a
 * small synthetic disk (qemu-img only, no guest), so it runs in seconds.
 */
class SourceMappingTest {
    static final Map<String, String> NETS = Map.of("*", "user");
    Path src;
    Path pool;
    Path raw;
    final Importer importer = new Importer(QemuImg.system());

    @BeforeEach
    void setUp() throws Exception {
        src = ImportDirs.create("src");
        pool = Files.createDirectories(src.resolveSibling(src.getFileName() + "-pool"));
        raw = src.resolve("base.raw");
        Img.run(List.of("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "8M"));
        Img.run(List.of("dd", "if=/dev/urandom", "of=" + raw, "bs=64k", "count=4", "seek=3", "conv=notrunc", "status=none"));
    }

    @AfterEach
    void tearDown() {
        ImportDirs.delete(src);
        ImportDirs.delete(pool);
    }

    ImportOptions opts() { return new ImportOptions(null, NETS, null, null, null, null, null, null, null, null, null, null); }

    @Test
    void vmwareLinuxGuestOnPvscsiGetsVirtioScsiAndVirtioNetWithMacsKept() {
        Img.convert(raw, "vmdk", "subformat=monolithicSparse", src.resolve("web01.vmdk"));
        Path vmx = Sources.vmx(src, "Web Server 01", "ubuntu-64", "scsi0:0", "web01.vmdk", "pvscsi", false);
        ImportResult r = importer.run(vmx, opts(), pool, JobProgress.NONE);
        VmSpec s = r.spec();
        assertThat(s.name()).isEqualTo("web-server-01");
        assertThat(s.vcpus()).isEqualTo(2);
        assertThat(s.memoryMiB()).isEqualTo(256);
        assertThat(s.firmware()).isEqualTo(Firmware.BIOS);
        assertThat(s.disks()).singleElement().satisfies(d -> {
            assertThat(d.bus()).isEqualTo(DiskBus.VIRTIO_SCSI);
            assertThat(d.format()).isEqualTo(DiskFormat.QCOW2);
            assertThat(d.path()).isEqualTo(pool.resolve("web-server-01-disk0.qcow2").toString());
        });
        assertThat(s.nics()).containsExactly(new NicSpec(NicModel.VIRTIO, "user", "00:50:56:3f:01:02"),
                new NicSpec(NicModel.VIRTIO, "user", "00:0c:29:ab:cd:ef"));
        assertThat(s.boot().disk()).isEqualTo("disk0");
        assertThat(r.report().disks()).singleElement().satisfies(d -> assertThat(d.identical()).isTrue());
        assertThat(Img.identical(raw, "raw", pool.resolve("web-server-01-disk0.qcow2"), "qcow2")).isTrue();
        assertThat(settings(r)).contains("ide1:0", "sound", "usb", "cpu topology");
        assertThat(r.report().notes()).anySatisfy(n -> assertThat(n.message()).contains("pvscsi 0:0 -> virtio-scsi"));
    }

    @Test
    void windowsGuestGetsSataAndE1000AndSecureBootIsReported() {
        Img.convert(raw, "vmdk", "subformat=twoGbMaxExtentFlat", src.resolve("win.vmdk"));
        Path vmx = Sources.vmx(src, "win2019", "windows2019srv-64", "nvme0:0", "win.vmdk", null, true);
        VmSpec s = importer.run(vmx, opts(), pool, JobProgress.NONE).spec();
        assertThat(s.disks()).singleElement().satisfies(d -> assertThat(d.bus()).isEqualTo(DiskBus.SATA));
        assertThat(s.nics()).extracting(NicSpec::model).containsExactly(NicModel.E1000, NicModel.E1000E);
        assertThat(s.firmware()).isEqualTo(Firmware.UEFI);
        assertThat(importer.plan(vmx, opts().withName("other"), pool).report().notes())
                .anySatisfy(n -> assertThat(n.setting()).isEqualTo("secure boot"));
    }

    @Test
    void ovfFolderWithSha1ManifestOnLsiLogicMapsFromTheEnvelope() {
        Img.convert(raw, "vmdk", "subformat=streamOptimized", src.resolve("app-disk1.vmdk"));
        Sources.ovf(src, "app", "Ubuntu Linux (64-bit)", "app-disk1.vmdk", 8 << 20, Sources.LSILOGIC, false);
        Sources.manifest(src, "app", "SHA1", "app.ovf", "app-disk1.vmdk");
        ImportResult r = importer.run(src.resolve("app.ovf"), opts(), pool, JobProgress.NONE);
        assertThat(r.spec().vcpus()).isEqualTo(2);
        assertThat(r.spec().memoryMiB()).isEqualTo(192);
        assertThat(r.spec().disks()).singleElement().satisfies(d -> assertThat(d.bus()).isEqualTo(DiskBus.VIRTIO_SCSI));
        assertThat(r.spec().nics()).containsExactly(new NicSpec(NicModel.VIRTIO, "user", "00:50:56:aa:bb:01"));
        assertThat(settings(r)).contains("ResourceType 15", "ResourceType 24", "vmw:Config tools.syncTimeWithHost");
        assertThat(Img.identical(raw, "raw", Path.of(r.spec().disks().get(0).path()), "qcow2")).isTrue();
    }

    @Test
    void virtualBoxWindowsOnAhciWithEfiAndTwoNicsOneDisabled() {
        Img.convert(raw, "vdi", null, src.resolve("win10.vdi"));
        Path vbox = Sources.vbox(src, "Win10", "Windows10_64", "win10.vdi", "VDI", "AHCI", true);
        ImportOptions o = new ImportOptions(null, Map.of("nat", "user", "eth0", "lan"), DiskFormat.RAW, null, null, null, null, null, null,
                null, null, null);
        ImportResult r = importer.run(vbox, o, pool, JobProgress.NONE);
        assertThat(r.spec().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(r.spec().memoryMiB()).isEqualTo(160);
        assertThat(r.spec().disks()).singleElement().satisfies(d -> {
            assertThat(d.bus()).isEqualTo(DiskBus.SATA);
            assertThat(d.format()).isEqualTo(DiskFormat.RAW);
        });
        assertThat(r.spec().nics()).containsExactly(new NicSpec(NicModel.E1000, "user", "08:00:27:a1:b2:c3"),
                new NicSpec(NicModel.E1000, "lan", "08:00:27:d4:e5:f6"));
        assertThat(settings(r)).contains("Controller port 1 device 0", "Display", "AudioAdapter");
        assertThat(Img.identical(raw, "raw", Path.of(r.spec().disks().get(0).path()), "raw")).isTrue();
    }

    @Test
    void virtualBoxVmdkOnLsiLogicAndOvfWindowsOnNvme() {
        Img.convert(raw, "vmdk", "subformat=monolithicSparse", src.resolve("u.vmdk"));
        Path vbox = Sources.vbox(src, "Ubuntu Server", "Ubuntu_64", "u.vmdk", "VMDK", "LsiLogic", false);
        VmSpec u = importer.run(vbox, opts(), pool, JobProgress.NONE).spec();
        assertThat(u.name()).isEqualTo("ubuntu-server");
        assertThat(u.disks().get(0).bus()).isEqualTo(DiskBus.VIRTIO_SCSI);
        assertThat(u.nics()).extracting(NicSpec::model).containsExactly(NicModel.VIRTIO, NicModel.VIRTIO);

        Path w = mk(src.resolve("w"));
        Img.convert(raw, "vmdk", "subformat=streamOptimized", w.resolve("w-disk1.vmdk"));
        Sources.ovf(w, "w", "Microsoft Windows Server 2022 (64-bit)", "w-disk1.vmdk", 8 << 20, Sources.NVME, true);
        Sources.manifest(w, "w", "SHA256", "w.ovf", "w-disk1.vmdk");
        VmSpec ws = importer.run(w.resolve("w.ovf"), opts(), pool, JobProgress.NONE).spec();
        assertThat(ws.disks().get(0).bus()).isEqualTo(DiskBus.SATA);
        assertThat(ws.nics().get(0).model()).isEqualTo(NicModel.E1000);
        assertThat(ws.firmware()).isEqualTo(Firmware.UEFI);
    }

    @Test
    void hyperVGeneration2ExportIsUefiOnScsiWithDynamicMemoryReported() {
        Img.convert(raw, "vhdx", null, Files.exists(src.resolve("Virtual Hard Disks")) ? null : mk(src.resolve("Virtual Hard Disks")).resolve("sql01.vhdx"));
        Path xml = Sources.hyperv(src, "SQL01", 2, "sql01.vhdx", true);
        ImportResult r = importer.run(src, new ImportOptions(null, Map.of("External Switch", "user"), null, null, null, null, null, null,
                null, null, null, null), pool, JobProgress.NONE);
        assertThat(r.report().sourceKind()).isEqualTo("hyperv");
        assertThat(r.report().sourcePath()).isEqualTo(xml.toString());
        assertThat(r.spec().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(r.spec().memoryMiB()).isEqualTo(192);
        assertThat(r.spec().disks()).singleElement().satisfies(d -> assertThat(d.bus()).isEqualTo(DiskBus.SATA));
        assertThat(r.spec().nics()).containsExactly(new NicSpec(NicModel.E1000, "user", "00:15:5d:01:02:03"));
        assertThat(settings(r)).contains("dynamic_memory_enabled", "secure boot", "controller1/drive0");
    }

    @Test
    void bareVhdWithGenerationFlagAndBareQcow2WithLinuxOsType() {
        Img.convert(raw, "vpc", "subformat=dynamic,force_size=on", src.resolve("legacy.vhd"));
        ImportOptions gen2 = new ImportOptions("legacy", NETS, null, null, 4, 512, null, 2, null, null, null, null);
        VmSpec s = importer.run(src.resolve("legacy.vhd"), gen2, pool, JobProgress.NONE).spec();
        assertThat(s.firmware()).isEqualTo(Firmware.UEFI);
        assertThat(s.vcpus()).isEqualTo(4);
        assertThat(s.disks().get(0).bus()).isEqualTo(DiskBus.SATA);
        assertThat(Img.identical(raw, "raw", Path.of(s.disks().get(0).path()), "qcow2")).isTrue();

        Img.convert(raw, "qcow2", null, src.resolve("cloud.qcow2"));
        ImportOptions linux = new ImportOptions(null, NETS, DiskFormat.RAW, null, null, 256, null, null, "linux", null, null, null);
        VmSpec q = importer.run(src.resolve("cloud.qcow2"), linux, pool, JobProgress.NONE).spec();
        assertThat(q.name()).isEqualTo("cloud");
        assertThat(q.disks().get(0).bus()).isEqualTo(DiskBus.VIRTIO_BLK);
        assertThat(q.firmware()).isEqualTo(Firmware.BIOS);
    }

    @Test
    void unmappedNetworkIsRefusedNamingIt() {
        Img.convert(raw, "vmdk", "subformat=monolithicSparse", src.resolve("a.vmdk"));
        Path vmx = Sources.vmx(src, "a", "ubuntu-64", "sata0:0", "a.vmdk", null, false);
        ImportOptions o = new ImportOptions(null, Map.of("VM Network", "user"), null, null, null, null, null, null, null, null, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> importer.run(vmx, o, pool, JobProgress.NONE))
                .hasMessageContaining("[nat]").hasMessageContaining("--network-map");
        assertThat(ImportDirs.list(pool)).isEmpty();
    }

    static Path mk(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> settings(ImportResult r) { return r.report().notes().stream().map(ImportNote::setting).toList(); }
}

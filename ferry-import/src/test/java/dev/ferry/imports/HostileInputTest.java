package dev.ferry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.testing.ImportDirs;
import dev.ferry.imports.testing.Img;
import dev.ferry.imports.testing.Sources;
import dev.ferry.imports.testing.TarBuilder;
import dev.ferry.qemu.img.QemuImg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken sources are refused with one clear error, before qemu-img opens anything
 * they point at, and leave nothing behind: after every refusal the target pool is empty (no
 * staging folder, no half-converted disk).
 */
class HostileInputTest {
    Path src;
    Path pool;
    Path raw;
    final Importer importer = new Importer(QemuImg.system());
    final ImportOptions opts = new ImportOptions(null, Map.of("*", "user"), null, null, null, 128, null, null, null, null, null, null);

    @BeforeEach
    void setUp() throws Exception {
        src = ImportDirs.create("hostile");
        pool = Files.createDirectories(src.resolveSibling(src.getFileName() + "-pool"));
        raw = src.resolve("base.raw");
        Img.run(List.of("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "4M"));
    }

    @AfterEach
    void tearDown() {
        assertThat(ImportDirs.list(pool)).as("left behind in the pool").isEmpty();
        ImportDirs.delete(src);
        ImportDirs.delete(pool);
    }

    void refused(ThrowingCallable call, ErrorCode code, String... message) {
        assertThatThrownBy(call).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).as(e.getMessage()).isEqualTo(code))
                .hasMessageContainingAll(message);
    }

    void refusedImport(Path source, ErrorCode code, String... message) {
        refused(() -> importer.run(source, opts, pool, JobProgress.NONE), code, message);
    }

    /** A valid OVF package (ovf + streamOptimized disk + SHA-256 manifest) in {@code src}. */
    void ovfPackage() {
        Img.convert(raw, "vmdk", "subformat=streamOptimized", src.resolve("vm-disk1.vmdk"));
        Sources.ovf(src, "vm", "Ubuntu Linux (64-bit)", "vm-disk1.vmdk", 4 << 20, Sources.SATA, false);
        Sources.manifest(src, "vm", "SHA256", "vm.ovf", "vm-disk1.vmdk");
    }

    byte[] bytes(String name) { return TarBuilder.read(src.resolve(name)); }

    @Test
    void ovaWithDotDotEntryIsRefused() {
        ovfPackage();
        Path ova = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).file("vm.mf", bytes("vm.mf"))
                .file("../../escaped.vmdk", bytes("vm-disk1.vmdk")).write(src.resolve("evil.ova"));
        refusedImport(ova, ErrorCode.UNSAFE_IMAGE, "../../escaped.vmdk", "'..'");
        assertThat(Files.exists(pool.getParent().resolve("escaped.vmdk"))).isFalse();
    }

    @Test
    void ovaWithAbsoluteNameOrSymlinkIsRefused() {
        ovfPackage();
        Path abs = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).file("/tmp/x.vmdk", bytes("vm-disk1.vmdk")).write(src.resolve("abs.ova"));
        refusedImport(abs, ErrorCode.UNSAFE_IMAGE, "absolute");
        Path link = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).symlink("vm-disk1.vmdk", "/etc/passwd").write(src.resolve("link.ova"));
        refusedImport(link, ErrorCode.UNSAFE_IMAGE, "symbolic link");
    }

    @Test
    void ovaWhoseDiskDoesNotMatchTheManifestIsRefusedBeforeAnyUse() throws Exception {
        ovfPackage();
        byte[] disk = bytes("vm-disk1.vmdk");
        disk[disk.length - 700] ^= 0x5a;
        Path ova = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).file("vm.mf", bytes("vm.mf")).file("vm-disk1.vmdk", disk)
                .write(src.resolve("tampered.ova"));
        refusedImport(ova, ErrorCode.UNSAFE_IMAGE, "digest mismatch for vm-disk1.vmdk");
        Files.writeString(src.resolve("vm.mf"), Files.readString(src.resolve("vm.mf")).lines().findFirst().orElseThrow() + "\n");
        Path unlisted = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).file("vm.mf", bytes("vm.mf")).file("vm-disk1.vmdk", bytes("vm-disk1.vmdk"))
                .write(src.resolve("unlisted.ova"));
        refusedImport(unlisted, ErrorCode.UNSAFE_IMAGE, "vm-disk1.vmdk is not listed in vm.mf");
        Path none = new TarBuilder().file("vm.ovf", bytes("vm.ovf")).file("vm-disk1.vmdk", bytes("vm-disk1.vmdk")).write(src.resolve("none.ova"));
        refusedImport(none, ErrorCode.INVALID_SOURCE, "without a manifest");
    }

    @Test
    void vmdkExtentNamingAHostFileIsRefusedBeforeQemuImgOpensIt() throws Exception {
        for (String extent : List.of("/etc/passwd", "../../../etc/passwd", "sub/../../x.vmdk")) {
            Files.writeString(src.resolve("disk.vmdk"), """
                    # Disk DescriptorFile
                    version=1
                    CID=fffffffe
                    parentCID=ffffffff
                    createType="monolithicFlat"

                    # Extent description
                    RW 8 FLAT "%s" 0
                    """.formatted(extent));
            Path vmx = Sources.vmx(src, "evil", "ubuntu-64", "sata0:0", "disk.vmdk", null, false);
            refusedImport(vmx, ErrorCode.UNSAFE_IMAGE, extent);
        }
        Files.createSymbolicLink(src.resolve("inside-flat.vmdk"), Path.of("/etc/passwd"));
        Files.writeString(src.resolve("disk.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n"
                + "RW 8 FLAT \"inside-flat.vmdk\" 0\n");
        refusedImport(src.resolve("evil.vmx"), ErrorCode.UNSAFE_IMAGE, "outside the import folder");
        Files.writeString(src.resolve("disk.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=ffffffff\ncreateType=\"vmfsRawDeviceMap\"\n"
                + "RW 8 VMFSRDM \"sda-rdm.vmdk\"\n");
        refusedImport(src.resolve("evil.vmx"), ErrorCode.UNSAFE_IMAGE, "VMFSRDM");
        Files.writeString(src.resolve("disk.vmdk"), "# Disk DescriptorFile\nversion=1\nparentCID=1234abcd\nparentFileNameHint=\"/vmfs/base.vmdk\"\n"
                + "createType=\"monolithicSparse\"\nRW 8 SPARSE \"disk-s.vmdk\"\n");
        refusedImport(src.resolve("evil.vmx"), ErrorCode.UNSAFE_IMAGE, "delta (snapshot) disk");
    }

    @Test
    void diskDeclaringFarMoreThanItsFileCanHoldIsRefused() throws Exception {
        Path tiny = Img.convert(raw, "vmdk", "subformat=monolithicSparse", src.resolve("tiny.vmdk"));
        try (FileChannel ch = FileChannel.open(tiny, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, (64L << 40) >> 9), 12);
        }
        refusedImport(tiny, ErrorCode.UNSAFE_IMAGE, "64.0 GiB".replace("64.0 GiB", "65536.0 GiB"), "above the limit");
        Img.run(List.of("qemu-img", "create", "-q", "-f", "vmdk", src.resolve("sparse1t.vmdk").toString(), "1T"));
        refusedImport(src.resolve("sparse1t.vmdk"), ErrorCode.UNSAFE_IMAGE, "1024.0 GiB", "4096 times");
        Img.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", src.resolve("huge.qcow2").toString(), "32T"));
        refusedImport(src.resolve("huge.qcow2"), ErrorCode.UNSAFE_IMAGE, "above the limit");
    }

    @Test
    void qcow2WithABackingFileIsRefused() {
        Img.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", src.resolve("child.qcow2").toString(), "4M"));
        refusedImport(src.resolve("child.qcow2"), ErrorCode.UNSAFE_IMAGE, "backing file");
    }

    @Test
    void malformedVmxIsRefusedWithItsLine() throws Exception {
        Files.writeString(src.resolve("bad.vmx"), ".encoding = \"UTF-8\"\nvirtualHW.version = \"19\"\nmemsize 256\n");
        refusedImport(src.resolve("bad.vmx"), ErrorCode.INVALID_SOURCE, "bad.vmx line 3");
        Img.convert(raw, "vmdk", "subformat=monolithicSparse", src.resolve("ok.vmdk"));
        Sources.vmx(src, "up", "ubuntu-64", "sata0:0", "../ok.vmdk", null, false);
        refusedImport(src.resolve("up.vmx"), ErrorCode.UNSAFE_IMAGE, "'..' is refused");
    }

    @Test
    void malformedOrEntityLadenXmlIsRefused() throws Exception {
        ovfPackage();
        Path ovf = src.resolve("vm.ovf");
        String good = Files.readString(ovf);
        Files.writeString(ovf, good.replace("</VirtualSystem>", ""));
        Sources.manifest(src, "vm", "SHA256", "vm.ovf", "vm-disk1.vmdk");
        refusedImport(ovf, ErrorCode.INVALID_SOURCE, "vm.ovf is not well-formed");
        Files.writeString(ovf, "<?xml version=\"1.0\"?>\n<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + good.substring(good.indexOf("<Envelope")).replace("<Name>vm</Name>", "<Name>&xxe;</Name>"));
        Sources.manifest(src, "vm", "SHA256", "vm.ovf", "vm-disk1.vmdk");
        refusedImport(ovf, ErrorCode.INVALID_SOURCE, "DOCTYPE");
        Path bomb = Sources.write(src.resolve("bomb.vbox"), "<?xml version=\"1.0\"?>\n<!DOCTYPE VirtualBox [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<VirtualBox><Machine name=\"&c;\"/></VirtualBox>");
        refusedImport(bomb, ErrorCode.INVALID_SOURCE, "DOCTYPE");
        Path hv = Sources.write(src.resolve("Virtual Machines/x.xml"), "<?xml version=\"1.0\"?>\n<configuration><properties><name>x</name>");
        refusedImport(hv, ErrorCode.INVALID_SOURCE, "x.xml is not well-formed");
        Files.writeString(ovf, good.replace("ovf:href=\"vm-disk1.vmdk\"", "ovf:href=\"../../../etc/passwd\""));
        Sources.manifest(src, "vm", "SHA256", "vm.ovf", "vm-disk1.vmdk");
        refusedImport(ovf, ErrorCode.UNSAFE_IMAGE, "../../../etc/passwd");
    }
}

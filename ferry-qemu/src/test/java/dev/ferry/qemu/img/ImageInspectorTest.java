package dev.ferry.qemu.img;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector judges images from its own reading of their headers, so hostile images are refused
 * without qemu-img ever opening them; the crafted images here are written byte by byte. The
 * accepted chains are then cross-checked with the real qemu-img.
 */
class ImageInspectorTest {
    @TempDir Path dir;
    Path pool;
    Path outside;
    ImageInspector inspector;

    @BeforeEach
    void setUp() throws IOException {
        pool = Files.createDirectories(dir.resolve("pool"));
        outside = Files.createDirectories(dir.resolve("host"));
        Files.writeString(outside.resolve("secret"), "HOST-SECRET-MARKER");
        inspector = new ImageInspector(List.of(pool));
    }

    @Test
    void rawFileThatLooksLikeQcow2WithHostBackingIsRefusedWhenDeclaredQcow2() throws IOException {
        Path evil = write("evil.img", Qcow2Bytes.header(1 << 20, outside.resolve("secret").toString(), "raw", null));

        FerryException e = refused(evil, DiskFormat.QCOW2);

        assertThat(e.getMessage()).contains("outside its storage pool", "secret");
        assertThat(inspector.inspect(evil, DiskFormat.RAW).chain()).hasSize(1); // as raw it names nothing
    }

    @Test
    void jsonProtocolDotDotAndMissingFormatAreRefused() throws IOException {
        assertThat(refused(write("j.img", Qcow2Bytes.header(1 << 20,
                "json:{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"/etc/shadow\"}}", "raw", null)),
                DiskFormat.QCOW2).getMessage()).contains("json:");
        assertThat(refused(write("n.img", Qcow2Bytes.header(1 << 20, "nbd://127.0.0.1:10809/x", "raw", null)), DiskFormat.QCOW2)
                .getMessage()).contains("protocol");
        assertThat(refused(write("f.img", Qcow2Bytes.header(1 << 20, "file:base.img", "raw", null)), DiskFormat.QCOW2)
                .getMessage()).contains("protocol");
        write("base.img", new byte[4096]);
        assertThat(refused(write("d.img", Qcow2Bytes.header(1 << 20, "../pool/base.img", "raw", null)), DiskFormat.QCOW2)
                .getMessage()).contains("'..'");
        assertThat(refused(write("nofmt.img", Qcow2Bytes.header(1 << 20, "base.img", null, null)), DiskFormat.QCOW2)
                .getMessage()).contains("without a backing format");
        assertThat(refused(write("vmdkfmt.img", Qcow2Bytes.header(1 << 20, "base.img", "vmdk", null)), DiskFormat.QCOW2)
                .getMessage()).contains("only raw and qcow2");
    }

    @Test
    void dataFileSymlinkEscapeAndLoopsAreRefused() throws IOException {
        assertThat(refused(write("df.img", Qcow2Bytes.header(1 << 20, null, null, outside.resolve("secret").toString())),
                DiskFormat.QCOW2).getMessage()).contains("external data file");
        Files.createSymbolicLink(pool.resolve("link.img"), outside.resolve("secret"));
        assertThat(refused(write("sl.img", Qcow2Bytes.header(1 << 20, "link.img", "raw", null)), DiskFormat.QCOW2)
                .getMessage()).contains("outside");
        write("a.img", Qcow2Bytes.header(1 << 20, "b.img", "qcow2", null));
        write("b.img", Qcow2Bytes.header(1 << 20, "a.img", "qcow2", null));
        assertThat(refused(pool.resolve("a.img"), DiskFormat.QCOW2).getMessage()).contains("loops");
    }

    @Test
    void imageOutsideEveryPoolIsRefused() throws IOException {
        Path stray = outside.resolve("stray.img");
        Files.write(stray, new byte[512]);
        assertThat(refused(stray, DiskFormat.RAW).getMessage()).contains("not inside any storage pool");
    }

    @Test
    void truncatedOrGarbageHeadersAreRefused() throws IOException {
        assertThat(refused(write("short.img", new byte[] {'Q', 'F', 'I', (byte) 0xfb}), DiskFormat.QCOW2).getMessage())
                .contains("shorter");
        byte[] h = Qcow2Bytes.header(1 << 20, "base.img", "raw", null);
        ByteBuffer.wrap(h).putInt(16, 5000); // backing name length beyond QEMU's limit
        assertThat(refused(write("long.img", h), DiskFormat.QCOW2).getMessage()).contains("1023");
        assertThat(refused(write("notq.img", new byte[4096]), DiskFormat.QCOW2).getMessage()).contains("no qcow2 magic");
    }

    @Test
    void realChainInsideThePoolPassesTheOwnReadingAndTheQemuImgCrossCheck() throws Exception {
        Path base = pool.resolve("base.raw");
        run("qemu-img", "create", "-q", "-f", "raw", base.toString(), "1M");
        Path mid = pool.resolve("mid.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid.toString());
        Path top = pool.resolve("top.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", mid.toString(), "-F", "qcow2", top.toString());

        ImageInspector.Report r = inspector.inspectAndCrossCheck(top, DiskFormat.QCOW2, QemuImg.system());

        assertThat(r.chain()).extracting(ImageInspector.Layer::format)
                .containsExactly(DiskFormat.QCOW2, DiskFormat.QCOW2, DiskFormat.RAW);
        assertThat(r.virtualSize()).isEqualTo(1 << 20);
        assertThat(r.pool()).isEqualTo(pool.toRealPath());
    }

    @Test
    void qemuImgCreatedDataFileIsRefused() throws Exception {
        Path img = pool.resolve("ext.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "data_file=" + pool.resolve("ext.data"), img.toString(), "1M");
        assertThat(refused(img, DiskFormat.QCOW2).getMessage()).contains("external data file");
    }

    @Test
    void vmdkDescriptorExtentsMustStayInThePool() throws IOException {
        write("disk-flat.vmdk", new byte[4096]);
        Path good = write("good.vmdk", descriptor("RW 8 FLAT \"disk-flat.vmdk\" 0", "RW 8 ZERO").getBytes(StandardCharsets.UTF_8));
        assertThat(inspector.vmdkExtents(good)).containsExactly(pool.resolve("disk-flat.vmdk").toRealPath());

        Path abs = write("abs.vmdk", descriptor("RW 8 FLAT \"" + outside.resolve("secret") + "\" 0").getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(FerryException.class, () -> inspector.vmdkExtents(abs)).getMessage()).contains("outside");
        Path dev = write("dev.vmdk", descriptor("RW 8 VMFSRAW \"/dev/sda\"").getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(FerryException.class, () -> inspector.vmdkExtents(dev)).getMessage()).contains("VMFSRAW");
        Path dots = write("dots.vmdk", descriptor("RW 8 FLAT \"../host/secret\" 0").getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(FerryException.class, () -> inspector.vmdkExtents(dots)).getMessage()).contains("'..'");
    }

    private static String descriptor(String... extents) {
        return "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\n"
                + "# Extent description\n" + String.join("\n", extents) + "\n";
    }

    private FerryException refused(Path image, DiskFormat format) {
        FerryException e = catchThrowableOfType(FerryException.class, () -> inspector.inspect(image, format));
        assertThat(e).as("inspect(%s as %s)", image, format).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNSAFE_IMAGE);
        return e;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(pool.resolve(name), bytes);
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}

package dev.ferry.imports.disk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.safety.BoundedFiles;
import dev.ferry.imports.safety.ImportFolder;
import dev.ferry.imports.source.VmdkDescriptor;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a source image before qemu-img converts it, in two steps. First without QEMU: a VMDK's
 * descriptor must keep its extents in the import folder ({@link VmdkDescriptor}); a qcow2 must have
 * no backing file and no external data file (read from its header, because even {@code info}
 * opens a data file). Then {@code qemu-img info -f DECLARED}: no backing file, no data file, every
 * file qemu-img opened inside the folder, and a plausible virtual size.
 *
 * <p>Size rule: the virtual size must be at most {@link #DEFAULT_MAX_VIRTUAL_BYTES} (16 TiB; the
 * import option {@code maxVirtualBytes} changes it) and at most {@code max(64 GiB, 4096 x the
 * image's file bytes)}: a sparse file claims at most 4096 times its own size, so a 100 KiB VMDK
 * that says it is 64 TiB is refused, while a 1 GiB export of a mostly empty 2 TiB disk passes.
 * Both bounds keep a hostile header from making QEMU allocate huge tables or the pool fill up.
 */
public final class ImageInspector {
    public static final long DEFAULT_MAX_VIRTUAL_BYTES = 16L << 40;
    static final long RATIO = 4096;
    static final long RATIO_FLOOR = 64L << 30;

    /** What the inspection found. */
    public record Inspection(long virtualBytes, long fileBytes, List<Path> files) {}

    private final QemuImg qemuImg;

    public ImageInspector(QemuImg qemuImg) { this.qemuImg = qemuImg; }

    public Inspection inspect(Path image, ImageFormat format, ImportFolder folder, Long maxVirtualBytes) {
        long max = maxVirtualBytes == null ? DEFAULT_MAX_VIRTUAL_BYTES : maxVirtualBytes;
        List<Path> files = new ArrayList<>(List.of(image));
        if (format == ImageFormat.VMDK) {
            VmdkDescriptor.Info d = VmdkDescriptor.inspect(image, folder);
            for (Path e : d.extentFiles()) if (!e.equals(image)) files.add(e);
            checkSize(image.getFileName().toString(), d.capacityBytes(), total(files), max);
        }
        if (format == ImageFormat.QCOW2) qcow2Header(image);
        JsonNode info = qemuImg.info(image, format);
        String what = image.getFileName().toString();
        if (info.hasNonNull("backing-filename") || info.hasNonNull("full-backing-filename")) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, what + " has a backing file (" + info.path("backing-filename").asText()
                    + "); flatten it before importing");
        }
        if (info.path("format-specific").path("data").has("data-file")) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, what + " uses an external data file, which Ferry refuses");
        }
        for (JsonNode e : info.path("format-specific").path("data").path("extents")) checkInside(e.path("filename").asText(), image, folder);
        for (JsonNode c : info.path("children")) checkInside(c.path("info").path("filename").asText(), image, folder);
        long virtual = info.path("virtual-size").asLong(-1);
        long fileBytes = total(files);
        checkSize(what, virtual, fileBytes, max);
        return new Inspection(virtual, fileBytes, files);
    }

    static void checkSize(String what, long virtual, long fileBytes, long max) {
        if (virtual <= 0) throw new FerryException(ErrorCode.INVALID_SOURCE, what + " reports no virtual size");
        if (virtual > max) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, what + " declares a virtual size of " + gib(virtual)
                    + ", above the limit of " + gib(max));
        }
        long allowed = Math.max(RATIO_FLOOR, fileBytes > Long.MAX_VALUE / RATIO ? Long.MAX_VALUE : fileBytes * RATIO);
        if (virtual > allowed) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, what + " declares " + gib(virtual) + " but its files hold only "
                    + fileBytes + " bytes; a sparse image may claim at most " + RATIO + " times its size (or 64 GiB)");
        }
    }

    private static long total(List<Path> files) {
        long sum = 0;
        for (Path f : files) sum += size(f);
        return sum;
    }

    /** qcow2 header: backing_file_offset (bytes 8..15), incompatible features (72..79, v3) bit 2 = external data file. */
    private static void qcow2Header(Path image) {
        ByteBuffer h = ByteBuffer.wrap(BoundedFiles.head(image, 104));
        if (h.capacity() < 72) throw new FerryException(ErrorCode.INVALID_SOURCE, image.getFileName() + " has a truncated qcow2 header");
        if (h.getLong(8) != 0) throw new FerryException(ErrorCode.UNSAFE_IMAGE, image.getFileName() + " has a backing file; flatten it before importing");
        if (h.getInt(4) >= 3 && h.capacity() >= 80 && (h.getLong(72) & 4) != 0) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, image.getFileName() + " uses an external data file, which Ferry refuses");
        }
    }

    private static void checkInside(String file, Path image, ImportFolder folder) {
        if (file == null || file.isEmpty()) return;
        Path p = Path.of(file);
        Path abs = p.isAbsolute() ? p : image.getParent().resolve(p);
        if (!folder.contains(abs.normalize())) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, image.getFileName() + " refers to " + file + ", outside the import folder");
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot stat " + f + ": " + e.getMessage(), e);
        }
    }

    private static String gib(long b) { return String.format("%.1f GiB", b / (double) (1L << 30)); }
}

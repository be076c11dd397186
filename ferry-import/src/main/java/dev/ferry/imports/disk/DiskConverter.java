package dev.ferry.imports.disk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Converts one image with {@code qemu-img convert} (explicit source and target formats; zero areas
 * are not written, so sparseness is kept) and then proves the result with {@code qemu-img compare}.
 * Progress is the bytes qemu-img has written so far against {@code qemu-img measure}'s estimate of
 * the data to write, read from the kernel's I/O counters, never parsed from qemu-img's text. A
 * failed or mismatching conversion deletes its target.
 */
public final class DiskConverter {
    /** Told about progress: bytes written so far and the expected total, both for this disk. */
    public interface Progress {
        void update(long doneBytes, long totalBytes);
    }

    /**
     * What one conversion did.
     *
     * @param expectedBytes  {@code qemu-img measure}'s estimate, the progress total
     * @param allocatedBytes what the target occupies on disk afterwards ({@code actual-size} of {@code qemu-img info})
     * @param millis         conversion and comparison together
     */
    public record Conversion(long expectedBytes, long allocatedBytes, long millis, boolean identical) {}

    private static final int TIMEOUT_SECONDS = 24 * 3600;

    private final QemuImg qemuImg;

    public DiskConverter(QemuImg qemuImg) { this.qemuImg = qemuImg; }

    /** Bytes the conversion of {@code source} will write ({@code qemu-img measure} to qcow2: allocated data plus metadata). */
    public long expectedBytes(Path source, ImageFormat from) {
        JsonNode m = qemuImg.measure(source, from, ImageFormat.QCOW2);
        return Math.max(1, m.path("required").asLong(1));
    }

    /**
     * Converts into {@code .TARGET.partial} beside {@code target}, compares, and only then renames it to
     * {@code target}: a disk under its final name is always complete and verified, even if the
     * process dies mid-way (what is left then is a hidden {@code .partial} file, safe to delete).
     */
    public Conversion convert(Path source, ImageFormat from, Path target, ImageFormat to, String createOptions, Progress progress) {
        if (Files.exists(target)) throw new FerryException(ErrorCode.INVALID_STATE, target + " already exists; Ferry does not overwrite disks");
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        long expected = expectedBytes(source, from);
        long t0 = System.nanoTime();
        try {
            qemuImg.convert(source, from, partial, to, createOptions, TIMEOUT_SECONDS, w -> {
                if (w >= 0 && progress != null) progress.update(Math.min(w, expected), expected);
            });
            if (progress != null) progress.update(expected, expected);
            if (!qemuImg.compare(source, from, partial, to, TIMEOUT_SECONDS)) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img compare found the conversion of " + source.getFileName()
                        + " different from its source");
            }
            long allocated = qemuImg.info(partial, to).path("actual-size").asLong(-1);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return new Conversion(expected, allocated, (System.nanoTime() - t0) / 1_000_000, true);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot move " + partial + " to " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the caller reports the original failure
        }
    }
}

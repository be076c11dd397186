package dev.ferry.transfer;

import dev.ferry.api.spec.DiskFormat;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/** Computes the {@link ImageDigest} of an image on disk, reading only its data extents. */
public final class ImageDigests {
    private ImageDigests() {}

    /**
     * The digest of {@code image} opened as {@code format}; the image and its chain must lie in
     * {@code pool} (it is inspected first). {@code progress} is told the logical bytes covered.
     */
    public static byte[] of(Path image, DiskFormat format, Path pool, QemuImg qemuImg, LongConsumer progress) {
        ImageInspector.Report report = new ImageInspector(List.of(pool)).inspect(image, format);
        try (SourceImage source = SourceImage.open(report, qemuImg, 4 << 20, pool)) {
            ImageDigest digest = new ImageDigest(source.virtualSize());
            WindowEncoder encoder = new WindowEncoder(source, false);
            for (long offset : source.windowOffsets()) {
                encoder.encode(offset, digest);
                if (progress != null) progress.accept(offset);
            }
            return digest.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

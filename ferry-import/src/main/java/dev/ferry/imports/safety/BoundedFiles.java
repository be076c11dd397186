package dev.ferry.imports.safety;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reads small metadata files (VMX, descriptors, XML, manifests) with a hard size cap, so a
 * multi-gigabyte "config file" cannot exhaust the heap. It exists so every reader states its cap
 * in one call instead of trusting {@code Files.readAllBytes}.
 */
public final class BoundedFiles {
    private BoundedFiles() {}

    public static byte[] read(Path file, int maxBytes, String what) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, what + " " + file + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, what + " " + file.getFileName() + " is larger than "
                        + maxBytes / 1024 + " KiB; refusing to read it");
            }
            return b;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first {@code n} bytes of a file (fewer if it is shorter). */
    public static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

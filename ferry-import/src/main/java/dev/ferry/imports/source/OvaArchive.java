package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unpacks an OVA into a staging folder the import owns, with {@link UstarReader}'s refusals, and
 * checks room first: the staging folder must have space for the whole archive. What comes out is
 * not trusted yet: {@link OvfPackage} verifies the manifest before the envelope is parsed.
 */
public final class OvaArchive {
    private OvaArchive() {}

    /** Extracts {@code ova} into the empty folder {@code staging}; returns the file names with their paths. */
    public static Map<String, Path> extract(Path ova, Path staging) {
        String label = ova.getFileName().toString();
        Map<String, Path> files = new LinkedHashMap<>();
        try {
            long size = Files.size(ova);
            long free = Files.getFileStore(staging).getUsableSpace();
            if (size > free) {
                throw new FerryException(ErrorCode.IO_ERROR, "unpacking " + label + " needs " + size + " bytes, " + staging + " has " + free);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(ova), 1 << 16)) {
                UstarReader tar = new UstarReader(in, label);
                byte[] buf = new byte[1 << 16];
                for (UstarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                    if (files.containsKey(e.name())) throw new FerryException(ErrorCode.INVALID_SOURCE, label + " holds " + e.name() + " twice");
                    Path out = staging.resolve(e.name());
                    try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        for (int n; (n = tar.read(buf)) > 0; ) os.write(buf, 0, n);
                    }
                    files.put(e.name(), out);
                }
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, "cannot unpack " + label + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new FerryException(ErrorCode.INVALID_SOURCE, label + " is empty");
        return files;
    }
}

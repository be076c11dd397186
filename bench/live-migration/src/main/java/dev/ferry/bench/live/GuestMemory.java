package dev.ferry.bench.live;

import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Counts the guest's non-zero memory, the numerator of the physical limit: QMP {@code pmemsave}
 * writes guest-physical RAM to a file, and every 4 KiB page that is not all zero is one QEMU must
 * send in full (zero pages cost it a few bytes of header). Taken just before the migration.
 */
final class GuestMemory {
    private static final int PAGE = 4096;

    private GuestMemory() {}

    static long nonZeroBytes(QmpClient qmp, long memoryBytes, Path scratch) {
        try {
            Files.deleteIfExists(scratch);
            qmp.execute("pmemsave", Map.of("val", 0, "size", memoryBytes, "filename", scratch.toString()), Duration.ofSeconds(60));
            return countNonZeroPages(scratch) * PAGE;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the guest memory dump " + scratch + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // a leftover dump inside the lab directory goes with the lab
            }
        }
    }

    static long countNonZeroPages(Path dump) throws IOException {
        long pages = 0;
        byte[] page = new byte[PAGE];
        try (InputStream in = Files.newInputStream(dump)) {
            while (in.readNBytes(page, 0, PAGE) == PAGE) {
                for (byte b : page) {
                    if (b != 0) {
                        pages++;
                        break;
                    }
                }
            }
        }
        return pages;
    }
}

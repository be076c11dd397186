package dev.ferry.bench.live;

import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Counts the guest's non-zero memory, the numerator of the physical limit: every 4 KiB page that is
 * not all zero is one QEMU must send in full (zero pages cost it a few bytes of header). Taken just
 * before the migration, in one of two ways: QMP {@code pmemsave} writes guest-physical RAM to a file
 * (when the bench owns the QMP socket), or, for a guest an agent runs (the agent holds its QMP
 * socket), the guest-RAM mapping of the QEMU process is read through {@code /proc/PID/mem} (root):
 * QEMU keeps guest RAM in one private anonymous read-write mapping of exactly the RAM size.
 */
public final class GuestMemory {
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

    /** Non-zero bytes of the guest RAM of QEMU process {@code pid}, from {@code /proc/PID/maps} and {@code /proc/PID/mem}. */
    public static long nonZeroBytesOfProcess(long pid, long memoryBytes) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long start = ramMappingStart(Files.readString(proc.resolve("maps")), memoryBytes);
            try (java.io.RandomAccessFile mem = new java.io.RandomAccessFile(proc.resolve("mem").toFile(), "r")) {
                mem.seek(start);
                InputStream in = java.nio.channels.Channels.newInputStream(mem.getChannel());
                return countNonZeroPages(new java.io.BufferedInputStream(in, 1 << 20), memoryBytes / PAGE) * PAGE;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the guest RAM of QEMU pid " + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The start address of the one private anonymous {@code rw-p} mapping of exactly
     * {@code memoryBytes} in a {@code /proc/PID/maps} text; fails when there is not exactly one.
     */
    static long ramMappingStart(String maps, long memoryBytes) {
        List<Long> starts = new java.util.ArrayList<>();
        for (String line : maps.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 5 || !f[1].equals("rw-p") || !f[4].equals("0")) continue;
            String[] range = f[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
            if (end - start == memoryBytes) starts.add(start);
        }
        if (starts.size() != 1) {
            throw new IllegalStateException(starts.size() + " anonymous rw mappings of " + memoryBytes + " bytes; cannot tell the guest RAM");
        }
        return starts.get(0);
    }

    static long countNonZeroPages(Path dump) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            return countNonZeroPages(in, Long.MAX_VALUE);
        }
    }

    /** Counts the non-zero pages among the first {@code maxPages} whole pages of {@code in}. */
    static long countNonZeroPages(InputStream in, long maxPages) throws IOException {
        long pages = 0, seen = 0;
        byte[] page = new byte[PAGE];
        while (seen++ < maxPages && in.readNBytes(page, 0, PAGE) == PAGE) {
            for (byte b : page) {
                if (b != 0) {
                    pages++;
                    break;
                }
            }
        }
        return pages;
    }
}

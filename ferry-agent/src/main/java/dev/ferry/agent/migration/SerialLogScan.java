package dev.ferry.agent.migration;

import dev.ferry.api.migration.GuestHealth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What one guest's serial log has said so far, kept up to date incrementally: each call reads only
 * the bytes appended since the last one, so a log of any size costs its growth, not its length,
 * while corruption lines and panics are still counted over the whole file. Only complete lines
 * count (an unterminated last line may still grow); a log that was replaced or truncated is read
 * again from the start. Replacement is recognised by the file's identity and, since a new file may
 * get the old one's inode, by the bytes just before the read position no longer being the same. Line formats are those of {@code guest/README.md}; a guest that prints
 * none of them simply reports nothing. Not thread-safe: {@link GuestHealthReader} serializes calls.
 */
final class SerialLogScan {
    private static final int CHUNK = 64 * 1024;
    /** Longer lines are cut for parsing; the guest's own lines are far shorter. */
    private static final int MAX_LINE = 4096;
    /** How many bytes before the read position are compared to tell an appended file from a new one. */
    private static final int CHECK_BYTES = 64;

    private final Path file;
    private Object fileKey;
    private long offset;
    private byte[] beforeOffset = new byte[0];
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private Long heartbeat;
    private Long heartbeatUpMs;
    private Long memoryPasses;
    private Long diskSeq;
    private long corruptLines;
    private boolean panicked;
    private String lastLine;
    private Long firstHeartbeatSeenAt;
    private Long lastHeartbeatSeenAt;
    private Long heartbeatPeriod;
    private final LongSupplier clockMs;

    SerialLogScan(Path file) {
        this(file, System::currentTimeMillis);
    }

    /** {@code clockMs}: the host clock that stamps when a heartbeat line was first seen. */
    SerialLogScan(Path file, LongSupplier clockMs) {
        this.file = file;
        this.clockMs = clockMs;
    }

    /** Reads what was appended since the last call and returns the health seen over the whole log. */
    GuestHealth update() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            reset(null);
            return health();
        }
        if (!Objects.equals(attrs.fileKey(), fileKey) || attrs.size() < offset || !sameBytesBeforeOffset()) {
            reset(attrs.fileKey());
        }
        if (attrs.size() > offset) readFrom(offset);
        return health();
    }

    GuestHealth health() {
        return new GuestHealth(heartbeat, heartbeatUpMs, memoryPasses, diskSeq, corruptLines, panicked,
                corruptLines == 0 && !panicked, lastLine, firstHeartbeatSeenAt, lastHeartbeatSeenAt, heartbeatPeriod);
    }

    private void readFrom(long start) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long pos = start;
            int n;
            while ((n = ch.read(buf, pos)) > 0) {
                pos += n;
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        line(partial.toString(StandardCharsets.ISO_8859_1));
                        partial.reset();
                    } else if (partial.size() < MAX_LINE) {
                        partial.write(b);
                    }
                }
                buf.clear();
            }
            offset = pos;
            beforeOffset = bytesBefore(ch, offset);
        }
    }

    private boolean sameBytesBeforeOffset() throws IOException {
        if (offset == 0) return true;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Arrays.equals(bytesBefore(ch, offset), beforeOffset);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static byte[] bytesBefore(FileChannel ch, long end) throws IOException {
        int len = (int) Math.min(CHECK_BYTES, end);
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining() && ch.read(buf, end - len + buf.position()) > 0) {
            // read until full; a shorter file leaves the buffer short and the comparison fails
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void line(String raw) {
        String line = raw.replace("\r", "").strip();
        if (line.isEmpty()) return;
        lastLine = line;
        if (line.contains("Kernel panic")) panicked = true;
        if (has(line, "MEMORY-CORRUPT") || has(line, "DISK-CORRUPT")) corruptLines++;
        if (has(line, "HEARTBEAT")) {
            heartbeat = field(line, "HEARTBEAT", "n", heartbeat);
            Long up = field(line, "HEARTBEAT", "up_ms", null);
            if (up != null && heartbeatUpMs != null && up > heartbeatUpMs) heartbeatPeriod = up - heartbeatUpMs;
            if (up != null) heartbeatUpMs = up;
            long now = clockMs.getAsLong();
            if (firstHeartbeatSeenAt == null) firstHeartbeatSeenAt = now;
            lastHeartbeatSeenAt = now;
        } else if (has(line, "MEMORY-OK")) {
            memoryPasses = field(line, "MEMORY-OK", "pass", memoryPasses);
        } else if (has(line, "MEMORY-BAD")) {
            corruptLines++;
            memoryPasses = field(line, "MEMORY-BAD", "pass", memoryPasses);
        } else if (has(line, "DISK-OK")) {
            diskSeq = field(line, "DISK-OK", "seq", diskSeq);
        } else if (has(line, "DISK-VERIFY")) {
            Long bad = field(line, "DISK-VERIFY", "bad", 0L);
            Long missing = field(line, "DISK-VERIFY", "missing", 0L);
            if (bad + missing > 0) corruptLines++; // records lost or damaged before this boot, e.g. by a bad disk copy
        }
    }

    private static boolean has(String line, String keyword) {
        return line.contains(keyword + " ");
    }

    /** The numeric {@code key=value} after {@code keyword}; {@code otherwise} if absent or not a number. */
    private static Long field(String line, String keyword, String key, Long otherwise) {
        String rest = line.substring(line.indexOf(keyword + " ") + keyword.length());
        for (String token : rest.trim().split(" +")) {
            if (token.startsWith(key + "=")) {
                try {
                    return Long.parseLong(token.substring(key.length() + 1));
                } catch (NumberFormatException e) {
                    return otherwise;
                }
            }
        }
        return otherwise;
    }

    private void reset(Object newKey) {
        fileKey = newKey;
        offset = 0;
        beforeOffset = new byte[0];
        partial.reset();
        heartbeat = null;
        heartbeatUpMs = null;
        memoryPasses = null;
        diskSeq = null;
        corruptLines = 0;
        panicked = false;
        lastLine = null;
        firstHeartbeatSeenAt = null;
        lastHeartbeatSeenAt = null;
        heartbeatPeriod = null;
    }
}

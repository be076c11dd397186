package dev.ferry.cli.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the demo guest said on its serial console (formats in {@code guest/README.md}): its
 * ready line, heartbeats, memory and disk self-checks, and any line that means trouble. The demo
 * reads the log file itself (both agents' state directories are on this machine) to wait for the
 * guest and to show the user the guest's own words; reading from an offset gives "only what was
 * printed after the switchover".
 */
public final class GuestConsole {
    /**
     * What a stretch of console output contained.
     *
     * @param firstHeartbeat the {@code n} of the first HEARTBEAT line, null if none
     * @param problems       MEMORY-BAD/-CORRUPT/-ERROR, DISK-CORRUPT/-ERROR lines and kernel panics
     */
    public record Snapshot(String readyLine, Long firstHeartbeat, Long lastHeartbeat, long memoryOkLines,
                           String lastMemoryOk, long diskOkLines, String lastDiskOk, List<String> problems) {
        public boolean ready() { return readyLine != null; }

        public boolean healthy() { return problems.isEmpty(); }
    }

    private static final List<String> PROBLEMS = List.of("MEMORY-BAD", "MEMORY-CORRUPT", "MEMORY-ERROR", "DISK-CORRUPT",
            "DISK-ERROR");

    private GuestConsole() {}

    public static Snapshot parse(String text) {
        String ready = null, memOk = null, diskOk = null;
        Long first = null, last = null;
        long memCount = 0, diskCount = 0;
        List<String> problems = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("FERRY-GUEST-READY")) ready = line;
            else if (line.startsWith("HEARTBEAT ")) {
                Long n = field(line, "n");
                if (n != null) {
                    if (first == null) first = n;
                    last = n;
                }
            } else if (line.startsWith("MEMORY-OK ")) {
                memOk = line;
                memCount++;
            } else if (line.startsWith("DISK-OK ")) {
                diskOk = line;
                diskCount++;
            } else if (PROBLEMS.stream().anyMatch(line::startsWith) || line.contains("Kernel panic")) {
                problems.add(line);
            }
        }
        return new Snapshot(ready, first, last, memCount, memOk, diskCount, diskOk, List.copyOf(problems));
    }

    /**
     * A position in a console log: the file's identity (inode), its size and its first bytes at that
     * moment; the first bytes tell a log that was deleted and re-created on a reused inode.
     */
    public record Mark(Object fileKey, long size, String head) {
        public static final Mark START = new Mark(null, 0, "");
    }

    private static final int HEAD = 256;

    /** Where the log ends now; {@link Mark#START} if it does not exist yet. */
    public static Mark mark(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            Object key = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
            return new Mark(key, f.length(), head(f));
        } catch (IOException e) {
            return Mark.START;
        }
    }

    /**
     * Parses the log's complete lines after {@code from}; from the beginning if the file was
     * replaced since (another inode, shorter than the mark, or other first bytes).
     */
    public static Snapshot read(Path log, Mark from) {
        Mark now = mark(log);
        if (now.fileKey() == null) return parse("");
        boolean same = from.fileKey() != null && from.fileKey().equals(now.fileKey()) && now.size() >= from.size()
                && now.head().startsWith(from.head());
        long start = same ? from.size() : 0;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] buf = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, f.length() - start))];
            f.seek(start);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.ISO_8859_1);
            int end = text.lastIndexOf('\n');
            return parse(end < 0 ? "" : text.substring(0, end + 1)); // only complete lines
        } catch (IOException e) {
            throw new LabException("cannot read the guest's console log " + log + ": " + e.getMessage());
        }
    }

    private static String head(RandomAccessFile f) throws IOException {
        byte[] b = new byte[(int) Math.min(HEAD, f.length())];
        f.seek(0);
        f.readFully(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The numeric value of {@code key=} in a console line, null if absent. */
    public static Long field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                try {
                    return Long.parseLong(part.substring(key.length() + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}

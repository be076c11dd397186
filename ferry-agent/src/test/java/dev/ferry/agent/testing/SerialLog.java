package dev.ferry.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a guest's serial console log (the line formats are in {@code guest/README.md}). Only
 * complete lines count: the UART writes a line byte by byte, so an unterminated last line may
 * still grow ({@code n=12} becoming {@code n=123}). Line ends (CRLF) are stripped. Waits poll
 * every 100 ms and fail with an {@link AssertionError} that shows the end of the log.
 */
public final class SerialLog {
    private static final Pattern HEARTBEAT = Pattern.compile("^HEARTBEAT n=(\\d+)\\b");
    private static final long POLL_MS = 100;

    private final Path file;

    public SerialLog(Path file) { this.file = file; }

    public Path file() { return file; }

    /** All complete lines so far (empty if the file does not exist yet). */
    public List<String> lines() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            out.add(text.substring(start, nl).replace("\r", ""));
            start = nl + 1;
        }
        return out;
    }

    /** How many complete lines there are now; pass it to {@link #awaitLine(String, Duration, int)} to wait for new ones. */
    public int lineCount() { return lines().size(); }

    /** The last complete line in which {@code regex} is found, if any. */
    public Optional<String> lastMatch(String regex) { return lastMatch(regex, 0); }

    private Optional<String> lastMatch(String regex, int fromLine) {
        Pattern p = Pattern.compile(regex);
        List<String> lines = lines();
        for (int i = lines.size() - 1; i >= Math.max(0, fromLine); i--) {
            if (p.matcher(lines.get(i)).find()) return Optional.of(lines.get(i));
        }
        return Optional.empty();
    }

    public boolean contains(String regex) { return lastMatch(regex).isPresent(); }

    /** Waits until a complete line matches {@code regex} ({@code find}, so anchor with ^) and returns the last such line. */
    public String awaitLine(String regex, Duration timeout) { return awaitLine(regex, timeout, 0); }

    /**
     * As {@link #awaitLine(String, Duration)}, looking only at lines from index {@code fromLine} on
     * (a {@link #lineCount()} taken earlier), e.g. a READY line of the next boot.
     */
    public String awaitLine(String regex, Duration timeout, int fromLine) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = lastMatch(regex, fromLine);
            if (line.isPresent()) return line.get();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching /" + regex + "/ in " + file + " within " + timeout.toSeconds()
                        + " s; the log ends with:\n" + tail(15));
            }
            sleep();
        }
    }

    /** {@code n} of the latest complete HEARTBEAT line, or -1 if there is none yet. */
    public long latestHeartbeat() {
        return lastMatch(HEARTBEAT.pattern()).map(l -> {
            Matcher m = HEARTBEAT.matcher(l);
            return m.find() ? Long.parseLong(m.group(1)) : -1L;
        }).orElse(-1L);
    }

    /** Waits until the latest HEARTBEAT is above {@code n}, and returns it. */
    public long awaitHeartbeatAbove(long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long latest = latestHeartbeat();
            if (latest > n) return latest;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("HEARTBEAT did not pass n=" + n + " within " + timeout.toSeconds() + " s (latest "
                        + latest + ") in " + file + "; the log ends with:\n" + tail(15));
            }
            sleep();
        }
    }

    /** The last {@code count} complete lines, one per line, for failure messages. */
    public String tail(int count) {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    @Override
    public String toString() { return "SerialLog[" + file + "]"; }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the serial log", e);
        }
    }
}

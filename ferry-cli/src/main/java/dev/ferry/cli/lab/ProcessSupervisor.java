package dev.ferry.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the lab's long-running processes (agents, controller) with their output in log files, and
 * waits for each one's ready line ({@code ... ready on port N}), which is also how the demo learns
 * the port it picked. Children run in their own session ({@code setsid}) so a Ctrl-C reaches only
 * the demo, whose clean-up then stops the VM through the still-running agents before stopping them.
 * When a child fails to come up, the error carries the tail of its log.
 */
public final class ProcessSupervisor {
    private static final Pattern READY = Pattern.compile("ready on port (\\d+)");
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** A started child: its name (e.g. host-a), process and log. */
    public record Child(String name, Process process, Path log) {
        public long pid() { return process.pid(); }
    }

    private ProcessSupervisor() {}

    /** The command as started: in its own session when {@code setsid} is available. */
    public static List<String> detached(List<String> cmd) {
        if (!Files.isExecutable(SETSID)) return List.copyOf(cmd);
        List<String> all = new ArrayList<>(List.of(SETSID.toString()));
        all.addAll(cmd);
        return all;
    }

    public static Child start(String name, List<String> cmd, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(detached(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new Child(name, p, log);
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (" + cmd.get(0) + "): " + e.getMessage());
        }
    }

    /** Waits for the child's ready line and returns the port it names. */
    public static int awaitReady(Child c, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = READY.matcher(read(c.log()));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!c.process().isAlive()) {
                throw new LabException(c.name() + " exited with status " + c.process().exitValue() + " before it was ready; "
                        + "last lines of " + c.log() + ":\n" + tail(c.log(), 12));
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(c.name() + " was not ready after " + timeout.toSeconds() + " s; last lines of "
                        + c.log() + ":\n" + tail(c.log(), 12));
            }
            ProcessTools.sleep(100);
        }
    }

    /** The last {@code n} lines of a log, indented, for error messages. */
    public static String tail(Path log, int n) {
        List<String> lines = read(log).lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
        return last.isEmpty() ? "    (empty)" : "    " + String.join("\n    ", last);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

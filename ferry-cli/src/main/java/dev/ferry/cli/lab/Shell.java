package dev.ferry.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the few host tools the lab needs ({@code ip}, {@code tc}, the guest's build script) as
 * short-lived processes with a time limit, capturing their combined output. The lab talks to the
 * kernel only through these commands so that every change it makes to the host is a command line
 * that can be printed, unit-tested and undone.
 */
public class Shell {
    /** A finished command: exit code (-1 if it could not run or timed out) and its output. */
    public record Result(int exitCode, String output) {
        public boolean ok() { return exitCode == 0; }

        /** The last non-blank output line, for one-line error messages. */
        public String lastLine() {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
        }
    }

    private final long timeoutSeconds;

    public Shell(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Runs the command; never throws. Output goes through a temporary file so a hung command still times out. */
    public Result run(List<String> cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("ferry-demo-cmd", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", cmd) + ": timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", cmd) + ": interrupted");
        } finally {
            if (out != null) out.toFile().delete();
        }
    }

    /** Runs the command and throws a one-line {@link LabException} if it fails. */
    public Result check(List<String> cmd) {
        Result r = run(cmd);
        if (!r.ok()) throw new LabException("'" + String.join(" ", cmd) + "' failed: " + r.lastLine());
        return r;
    }
}

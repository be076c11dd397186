package dev.ferry.controller.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A controller running in a JVM of its own ({@link ControllerMain}), on the test's class path, so
 * a test can SIGKILL it ({@link #kill()}) or freeze it ({@link #freeze()}, SIGSTOP) mid-migration
 * exactly as a crash would. Its output goes to a log file ({@link #logTail}). {@link #close()} and,
 * should the test JVM end first, a shutdown hook kill it; it also exits by itself when the test
 * JVM goes away, because its standard input closes.
 */
final class ControllerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "controller-reaper"));
    }

    private final Process process;
    private final Path log;
    private final int port;

    private ControllerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts a controller on {@code config} and waits until it listens; {@code tag} names its files in {@code dir}. */
    static ControllerProcess start(Path config, Path dir, String tag) {
        Path portFile = dir.resolve(tag + ".port");
        Path log = dir.resolve(tag + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", classPath(), ControllerMain.class.getName(), config.toString(), portFile.toString()));
        Process p;
        try {
            Files.deleteIfExists(portFile);
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the controller process", e);
        }
        RUNNING.add(p);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(portFile)) {
            if (!p.isAlive()) {
                RUNNING.remove(p);
                throw new AssertionError("the controller process exited with " + p.exitValue() + " before listening:\n" + tail(log, 40));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                RUNNING.remove(p);
                throw new AssertionError("the controller process did not listen within " + START_TIMEOUT.toSeconds() + " s:\n"
                        + tail(log, 40));
            }
            sleep(20);
        }
        try {
            return new ControllerProcess(p, log, Integer.parseInt(Files.readString(portFile).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() { return port; }

    long pid() { return process.pid(); }

    boolean isAlive() { return process.isAlive(); }

    /** SIGKILL, as a crash or an OOM killer would; returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("controller pid " + pid() + " survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the controller to die", e);
        }
        RUNNING.remove(process);
    }

    /** SIGSTOP: the process stops between two instructions, wherever it is, until killed or continued. */
    void freeze() {
        signal("-STOP");
    }

    private void signal(String sig) {
        try {
            Process k = new ProcessBuilder("kill", sig, Long.toString(pid())).redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new AssertionError("kill " + sig + " " + pid() + " failed: " + new String(k.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The last {@code lines} lines of the process's output, for failure messages. */
    String logTail(int lines) { return tail(log, lines); }

    @Override
    public void close() {
        if (process.isAlive()) kill();
        RUNNING.remove(process);
    }

    /**
     * The class path of the test JVM. Surefire may start tests through a manifest-only jar; its
     * {@code surefire.test.class.path} then holds the real one.
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    static String tail(Path file, int count) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package dev.ferry.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and kills the QEMU processes that belong to a test directory. QEMU runs daemonized (its
 * parent is init, not the test JVM), so nothing kills it when a test fails; this does. A process
 * belongs to a directory when its command line mentions the directory's path, so QEMU started by
 * anything else on the machine is never touched.
 */
public final class QemuReaper {
    private QemuReaper() {}

    /** Pids of running (not zombie) QEMU processes whose command line mentions {@code dir}. */
    public static List<Long> pidsUnder(Path dir) {
        String needle = dir.toAbsolutePath().toString() + "/";
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                String cmd = cmdline(Long.parseLong(name));
                if (cmd.startsWith("qemu-system") || cmd.contains("/qemu-system")) {
                    if (cmd.contains(needle) && isRunning(Long.parseLong(name))) pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** SIGKILLs every QEMU under {@code dir} and waits (up to 10 s) until they are gone; returns how many. */
    public static int killAll(Path dir) {
        List<Long> pids = pidsUnder(dir);
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (long pid : pids) {
            while (isRunning(pid) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return pids.size();
    }

    /** True if {@code pid} exists and is not a zombie (a dead QEMU whose parent has not reaped it yet). */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || stat.length() <= close + 2 || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The NUL-separated command line of {@code pid} with spaces instead, or "" if it is gone. */
    public static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}

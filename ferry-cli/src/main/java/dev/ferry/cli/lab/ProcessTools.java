package dev.ferry.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Small, careful helpers over {@code /proc} for processes the lab does not hold a handle to: QEMU
 * daemonizes away from its agent, and a {@code --stop} run (or a later demo) must find the children
 * of an earlier one. Everything here identifies a process by its command line before touching it,
 * so a recycled pid is never killed by mistake.
 */
public final class ProcessTools {
    private ProcessTools() {}

    /** The command line of {@code pid} with NULs as spaces, or "" if it is gone. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Running QEMU processes whose command line mentions {@code dir} (their sockets and logs live there). */
    public static List<Long> qemusUsing(Path dir) {
        String needle = dir.toAbsolutePath().normalize().toString() + "/";
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(s -> s.matches("\\d+")).map(Long::parseLong).forEach(pid -> {
                String cmd = commandLine(pid);
                if (cmd.contains("qemu-system") && cmd.contains(needle)) found.add(pid);
            });
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    /** SIGKILLs the processes and waits up to 5 s for them to be gone. */
    public static void killAll(List<Long> pids) {
        List<ProcessHandle> handles = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
        handles.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handles.stream().anyMatch(ProcessTools::running) && System.nanoTime() < deadline) sleep(50);
    }

    /** SIGTERM, then SIGKILL after {@code graceMillis}, for the processes and their descendants. */
    public static void stopAll(List<Long> pids, long graceMillis) {
        List<ProcessHandle> tree = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                tree.addAll(h.descendants().toList());
                tree.add(h);
            });
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (tree.stream().anyMatch(ProcessTools::running) && System.nanoTime() < deadline) sleep(50);
        tree.stream().filter(ProcessTools::running).forEach(ProcessHandle::destroyForcibly);
        deadline = System.nanoTime() + 5_000_000_000L;
        while (tree.stream().anyMatch(ProcessTools::running) && System.nanoTime() < deadline) sleep(50);
    }

    /** Alive and not a zombie waiting for a parent that is not us. */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return !(close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z');
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ferry.qemu.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A running QEMU process that belongs to one VM, identified by its pid and QMP socket. It can be
 * re-created from the pidfile after an agent restart: {@link #attach} accepts a pid only when
 * {@code /proc/PID/cmdline} is a QEMU started for this VM with this QMP socket, so a recycled pid
 * never gets mistaken for a guest.
 */
public final class QemuProcess {
    private final String vmName;
    private final long pid;
    private final Path qmpSocket;

    private QemuProcess(String vmName, long pid, Path qmpSocket) {
        this.vmName = vmName;
        this.pid = pid;
        this.qmpSocket = qmpSocket;
    }

    public static Optional<QemuProcess> attach(String vmName, Path pidFile, Path qmpSocket) {
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
            if (!Files.exists(cmdline)) return Optional.empty();
            String cmd = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            if (!cmd.contains("guest=" + vmName + ",") || !cmd.contains("path=" + qmpSocket + ",")) {
                return Optional.empty();
            }
            return Optional.of(new QemuProcess(vmName, pid, qmpSocket));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String vmName() { return vmName; }

    public long pid() { return pid; }

    public Path qmpSocket() { return qmpSocket; }

    public boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && !isZombie();
    }

    private boolean isZombie() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL; returns once the process is gone or the timeout passed. */
    public boolean kill(Duration timeout) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return awaitExit(timeout);
    }

    public boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive();
            }
        }
        return true;
    }

    @Override
    public String toString() { return "QEMU[" + vmName + ", pid " + pid + "]"; }
}

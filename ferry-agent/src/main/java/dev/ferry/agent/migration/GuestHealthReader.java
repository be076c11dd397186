package dev.ferry.agent.migration;

import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers "is the guest alive and intact?" from the VM's own serial console, which only the agent
 * on the VM's host can read. The controller asks it after a migration instead of parsing console
 * text itself. One {@link SerialLogScan} per log file remembers how far it has read. A VM taking
 * part in a migration is {@linkplain #watch watched}: its log is read every few milliseconds, so
 * the host time at which each heartbeat appeared is known closely enough to measure the guest's
 * silence across a switchover.
 */
final class GuestHealthReader implements AutoCloseable {
    private static final long WATCH_INTERVAL_MS = 10;

    private final VmManager vms;
    private final Map<Path, SerialLogScan> scans = new ConcurrentHashMap<>();
    private final Map<String, Path> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "guest-console-watch");
        t.setDaemon(true);
        return t;
    });

    GuestHealthReader(VmManager vms) {
        this.vms = vms;
        poller.scheduleWithFixedDelay(this::pollWatched, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    GuestHealth read(String name) {
        Path log = logOf(name);
        try {
            return update(log);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read the serial log of '" + name + "' (" + log + "): "
                    + e.getMessage(), e);
        }
    }

    /** Starts reading the VM's console continuously, until the VM is no longer defined here. */
    void watch(String name) {
        watched.put(name, logOf(name));
    }

    private void pollWatched() {
        for (Map.Entry<String, Path> e : watched.entrySet()) {
            if (!vms.repository().exists(e.getKey())) {
                watched.remove(e.getKey());
                scans.remove(e.getValue());
                continue;
            }
            try {
                update(e.getValue());
            } catch (IOException | RuntimeException ignored) {
                // a log that cannot be read now is retried on the next tick; read() reports errors
            }
        }
    }

    private GuestHealth update(Path log) throws IOException {
        SerialLogScan scan = scans.computeIfAbsent(log, SerialLogScan::new);
        synchronized (scan) {
            return scan.update();
        }
    }

    private Path logOf(String name) {
        VmSpec spec = vms.spec(name);
        return spec.serialLog() != null ? Path.of(spec.serialLog()) : vms.repository().defaultSerialLog(name);
    }

    @Override
    public void close() { poller.shutdownNow(); }
}

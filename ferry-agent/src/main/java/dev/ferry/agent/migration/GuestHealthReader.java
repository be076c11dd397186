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

/**
 * Answers "is the guest alive and intact?" from the VM's own serial console, which only the agent
 * on the VM's host can read. The controller asks it after a migration instead of parsing console
 * text itself. One {@link SerialLogScan} per log file remembers how far it has read.
 */
final class GuestHealthReader {
    private final VmManager vms;
    private final Map<Path, SerialLogScan> scans = new ConcurrentHashMap<>();

    GuestHealthReader(VmManager vms) {
        this.vms = vms;
    }

    GuestHealth read(String name) {
        VmSpec spec = vms.spec(name);
        Path log = spec.serialLog() != null ? Path.of(spec.serialLog()) : vms.repository().defaultSerialLog(name);
        SerialLogScan scan = scans.computeIfAbsent(log, SerialLogScan::new);
        synchronized (scan) {
            try {
                return scan.update();
            } catch (IOException e) {
                throw new FerryException(ErrorCode.IO_ERROR, "cannot read the serial log of '" + name + "' (" + log + "): "
                        + e.getMessage(), e);
            }
        }
    }
}

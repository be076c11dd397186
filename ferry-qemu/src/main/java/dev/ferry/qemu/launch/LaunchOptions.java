package dev.ferry.qemu.launch;

import dev.ferry.api.host.NetworkDef;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything besides the {@link dev.ferry.api.spec.VmSpec} that decides how one QEMU process is
 * started on one host: the accelerator, where the control files live, the host's networks, and
 * whether the process waits for an incoming migration.
 *
 * @param runDir   per-VM directory holding the QMP socket and pidfile
 * @param serialLog where the serial console goes (appended to)
 * @param incoming true: start with {@code -incoming defer} as a migration destination
 */
public record LaunchOptions(
        String qemuBinary,
        Accelerator accelerator,
        Path runDir,
        Path serialLog,
        Map<String, NetworkDef> networks,
        boolean incoming,
        String firmwareUefi) {

    public LaunchOptions {
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(serialLog, "serialLog");
        networks = networks == null ? Map.of() : Map.copyOf(networks);
    }

    public Path qmpSocket() { return runDir.resolve("qmp.sock"); }

    public Path pidFile() { return runDir.resolve("qemu.pid"); }

    public Path qemuLog() { return runDir.resolve("qemu.log"); }

    public LaunchOptions asIncoming() {
        return new LaunchOptions(qemuBinary, accelerator, runDir, serialLog, networks, true, firmwareUefi);
    }
}

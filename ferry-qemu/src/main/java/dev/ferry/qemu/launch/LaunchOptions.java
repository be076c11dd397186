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

    public static Builder builder() { return new Builder(); }

    /** Host-wide settings are set once; per-VM paths and the incoming flag per launch. */
    public static final class Builder {
        private String qemuBinary = "qemu-system-x86_64";
        private Accelerator accelerator = Accelerator.TCG;
        private Path runDir;
        private Path serialLog;
        private Map<String, NetworkDef> networks = Map.of();
        private boolean incoming;
        private String firmwareUefi;

        public Builder qemuBinary(String v) { qemuBinary = v; return this; }
        public Builder accelerator(Accelerator v) { accelerator = v; return this; }
        public Builder runDir(Path v) { runDir = v; return this; }
        public Builder serialLog(Path v) { serialLog = v; return this; }
        public Builder networks(Map<String, NetworkDef> v) { networks = v; return this; }
        public Builder incoming(boolean v) { incoming = v; return this; }
        public Builder firmwareUefi(String v) { firmwareUefi = v; return this; }

        public LaunchOptions build() {
            return new LaunchOptions(qemuBinary, accelerator, runDir, serialLog, networks, incoming, firmwareUefi);
        }
    }
}

package dev.ferry.agent.vm;

import dev.ferry.api.error.FerryException;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.launch.QemuProcess;
import dev.ferry.qemu.qmp.QmpClient;
import java.time.Duration;

/**
 * The live half of a VM on this host: its QEMU process and the QMP connection to it. Exists only
 * while a QEMU process runs; the state is always read from QEMU, never remembered, so it cannot
 * drift from the truth.
 */
public final class VmRuntime implements AutoCloseable {
    private static final Duration QMP_CONNECT = Duration.ofSeconds(10);

    private final QemuProcess process;
    private final QmpClient qmp;

    private VmRuntime(QemuProcess process, QmpClient qmp) {
        this.process = process;
        this.qmp = qmp;
    }

    public static VmRuntime connect(QemuProcess process) {
        QmpClient qmp = QmpClient.connect(process.qmpSocket(), QMP_CONNECT);
        return new VmRuntime(process, qmp);
    }

    public QemuProcess process() { return process; }

    public QmpClient qmp() { return qmp; }

    public boolean isAlive() { return process.isAlive(); }

    /** QEMU's status word, or "shutdown" when the process is gone. */
    public String qemuStatus() {
        if (!process.isAlive()) return "shutdown";
        try {
            return qmp.execute("query-status").path("status").asText("unknown");
        } catch (FerryException e) {
            return process.isAlive() ? "unknown" : "shutdown";
        }
    }

    public VmState state() {
        String status = qemuStatus();
        return "unknown".equals(status) ? VmState.CRASHED : VmState.fromQemu(status);
    }

    @Override
    public void close() { qmp.close(); }
}

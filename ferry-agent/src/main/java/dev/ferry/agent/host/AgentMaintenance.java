package dev.ferry.agent.host;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's own maintenance flag, set by the controller ({@code ferry host maintenance on|off})
 * and kept in {@code stateDir/maintenance} so it survives an agent restart: while it is on, the
 * agent refuses to define or start VMs and to prepare incoming migrations, whoever asks (the
 * controller refuses such migrations itself; this keeps clients that talk to the agent directly,
 * such as {@code ferry vm define --agent}, off the host too). VMs already running keep running.
 */
public final class AgentMaintenance {
    private final Path file;
    private final String host;
    private volatile boolean on;

    public AgentMaintenance(Path stateDir, String host) {
        this.file = stateDir.resolve("maintenance");
        this.host = host;
        this.on = Files.exists(file);
    }

    public boolean isOn() { return on; }

    public synchronized void set(boolean enabled) {
        try {
            if (enabled) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "on\n");
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot " + (enabled ? "record" : "clear") + " maintenance in " + file + ": "
                    + e.getMessage(), e);
        }
        on = enabled;
    }

    /** Refuses {@code what} with HOST_IN_MAINTENANCE while the flag is on. */
    public void requireOff(String what) {
        if (on) {
            throw new FerryException(ErrorCode.HOST_IN_MAINTENANCE, host + " is in maintenance; " + what + " is refused"
                    + " (ferry host maintenance off " + host + " ends it)");
        }
    }
}

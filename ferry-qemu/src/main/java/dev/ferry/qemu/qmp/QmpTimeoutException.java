package dev.ferry.qemu.qmp;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Duration;

/**
 * QEMU did not answer a command, send a greeting, accept a connection or emit an awaited event in
 * time. The connection stays usable after a command timeout: QEMU may just be busy, and a late reply
 * is discarded. {@link #command()} is null when the wait was not for a command.
 */
public final class QmpTimeoutException extends FerryException {
    private final String command;
    private final Duration timeout;

    QmpTimeoutException(String command, Duration timeout, String message) {
        super(ErrorCode.QMP_TIMEOUT, message);
        this.command = command;
        this.timeout = timeout;
    }

    static QmpTimeoutException forCommand(String command, Duration timeout) {
        return new QmpTimeoutException(command, timeout,
                "QEMU did not answer '" + command + "' within " + Timeouts.format(timeout));
    }

    /** The command that timed out, or null. */
    public String command() { return command; }

    /** How long the client waited. */
    public Duration timeout() { return timeout; }
}

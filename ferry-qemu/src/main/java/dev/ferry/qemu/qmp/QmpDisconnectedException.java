package dev.ferry.qemu.qmp;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Path;

/**
 * The QMP connection is gone: QEMU exited or closed the socket, or the client was closed. Commands
 * that were waiting fail with it at once, and every later call fails with it immediately; a new
 * {@link QmpClient} is needed (if QEMU still runs).
 */
public final class QmpDisconnectedException extends FerryException {
    private final Path socket;

    QmpDisconnectedException(Path socket, String message) {
        super(ErrorCode.QMP_DISCONNECTED, message);
        this.socket = socket;
    }

    static QmpDisconnectedException lost(Path socket, String reason) {
        return new QmpDisconnectedException(socket, "The connection to QEMU at " + socket + " was lost: " + reason);
    }

    /** The QMP socket the connection used. */
    public Path socket() { return socket; }
}

package dev.ferry.qemu.qmp;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Path;

/**
 * The peer on the QMP socket broke the protocol: malformed JSON, a message over
 * {@link QmpOptions#maxMessageBytes()}, or no greeting. The client cannot resynchronise a byte
 * stream it no longer understands, so it closes the connection and fails pending commands with this.
 */
public final class QmpProtocolException extends FerryException {
    private final Path socket;

    QmpProtocolException(Path socket, String problem) {
        super(ErrorCode.QEMU_FAILED,
                "QMP protocol error from QEMU at " + socket + ": " + problem + "; the connection was closed");
        this.socket = socket;
    }

    /** The QMP socket the connection used. */
    public Path socket() { return socket; }
}

package dev.ferry.qemu.qmp;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;

/**
 * QEMU answered a command with an error. Callers that need to react to a specific refusal switch on
 * {@link #errorClass()} (QEMU's stable class such as {@code GenericError}, {@code CommandNotFound},
 * {@code DeviceNotActive}); {@link #description()} is QEMU's human-readable text.
 */
public final class QmpCommandException extends FerryException {
    private final String command;
    private final String errorClass;
    private final String description;

    public QmpCommandException(String command, String errorClass, String description) {
        super(ErrorCode.QMP_ERROR, "QEMU rejected '" + command + "': " + errorClass + ": " + description);
        this.command = command;
        this.errorClass = errorClass;
        this.description = description;
    }

    /** The QMP command that failed. */
    public String command() { return command; }

    /** QEMU's error class, e.g. {@code GenericError}. */
    public String errorClass() { return errorClass; }

    /** QEMU's description of the error. */
    public String description() { return description; }
}

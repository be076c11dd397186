package dev.ferry.api.error;

import java.util.Objects;

/**
 * The one exception type that crosses Ferry's module boundaries. It carries an {@link ErrorCode}
 * and a message written for the operator; API layers turn it into an {@link ErrorBody} and the CLI
 * into a one-line message and an exit code, so users never see a stack trace.
 */
public class FerryException extends RuntimeException {
    private final ErrorCode code;

    public FerryException(ErrorCode code, String message) {
        super(message == null ? code.defaultMessage() : message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public FerryException(ErrorCode code, String message, Throwable cause) {
        super(message == null ? code.defaultMessage() : message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() { return code; }

    public ErrorBody toBody() { return new ErrorBody(code.name(), getMessage(), code.retriable()); }

    public static FerryException fromBody(ErrorBody body) {
        return new FerryException(ErrorCode.fromName(body.code()), body.message());
    }
}

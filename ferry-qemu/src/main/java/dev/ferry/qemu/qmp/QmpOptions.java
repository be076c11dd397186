package dev.ferry.qemu.qmp;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning knobs of a {@link QmpClient}, kept apart from the connect call so that the common case
 * stays {@code QmpClient.connect(socket, timeout)}.
 *
 * @param defaultCommandTimeout how long {@code execute(command)} and {@code executeAsync} wait for a
 *     reply, and how long {@code connect} waits for the greeting once the socket accepted
 * @param maxMessageBytes the largest single message QEMU may send; a bigger one is treated as a
 *     protocol error and closes the connection, so a confused peer cannot exhaust memory
 */
public record QmpOptions(Duration defaultCommandTimeout, int maxMessageBytes) {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public QmpOptions {
        Objects.requireNonNull(defaultCommandTimeout, "defaultCommandTimeout");
        if (defaultCommandTimeout.isNegative() || defaultCommandTimeout.isZero()) {
            throw new IllegalArgumentException("defaultCommandTimeout must be positive: " + defaultCommandTimeout);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024: " + maxMessageBytes);
        }
    }

    public static QmpOptions defaults() {
        return new QmpOptions(DEFAULT_COMMAND_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES);
    }

    public QmpOptions withDefaultCommandTimeout(Duration timeout) {
        return new QmpOptions(timeout, maxMessageBytes);
    }

    public QmpOptions withMaxMessageBytes(int bytes) {
        return new QmpOptions(defaultCommandTimeout, bytes);
    }
}

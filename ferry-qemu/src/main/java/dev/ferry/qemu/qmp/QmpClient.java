package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe QMP session with one QEMU process. It exists because Ferry drives QEMU (migration,
 * block jobs, pause/resume) only through QMP and there is no maintained Java client: this one matches
 * replies to commands by id so many threads can share a session, delivers events on their own thread,
 * and turns every failure into a {@link FerryException} whose message an operator can read — a
 * refusal ({@link QmpCommandException}), a slow QEMU ({@link QmpTimeoutException}), a dead one
 * ({@link QmpDisconnectedException}, raised at once for every waiting caller) or a garbled stream
 * ({@link QmpProtocolException}).
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpClient.class);

    private final Path socket;
    private final QmpOptions options;
    private final PendingCommands pending = new PendingCommands();
    private final EventDispatcher events;
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicReference<FerryException> terminal = new AtomicReference<>();
    private volatile QmpConnection connection;

    private QmpClient(Path socket, QmpOptions options) {
        this.socket = socket;
        this.options = options;
        this.events = new EventDispatcher(socket);
    }

    /** {@link #connect(Path, Duration, QmpOptions)} with {@link QmpOptions#defaults()}. */
    public static QmpClient connect(Path socket, Duration connectTimeout) {
        return connect(socket, connectTimeout, QmpOptions.defaults());
    }

    /**
     * Connects to a QMP socket, retrying while it does not exist or refuses (QEMU may still be
     * starting) for up to {@code connectTimeout}; then waits up to the default command timeout for the
     * greeting and enables the command mode with {@code qmp_capabilities}.
     */
    public static QmpClient connect(Path socket, Duration connectTimeout, QmpOptions options) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        Timeouts.checkPositive(connectTimeout, "connectTimeout");
        QmpClient client = new QmpClient(socket, options);
        client.connection = QmpConnection.open(socket, connectTimeout, options.maxMessageBytes(), client.handler());
        client.connection.start();
        try {
            client.awaitGreeting();
            client.execute("qmp_capabilities");
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The "QMP" object of QEMU's greeting: {@code version}, {@code capabilities}. */
    public JsonNode greeting() {
        return greeting.getNow(null).deepCopy();
    }

    /** The QEMU version from the greeting. */
    public QemuVersion version() {
        return QemuVersion.fromGreeting(greeting.getNow(null));
    }

    /** Runs a command without arguments; returns its {@code "return"} value. */
    public JsonNode execute(String command) {
        return execute(command, null, options.defaultCommandTimeout());
    }

    /**
     * Runs a command; returns its {@code "return"} value. {@code arguments} may be null, an
     * {@link ObjectNode}, a {@link java.util.Map} or any record/POJO that serializes to a JSON object
     * (null fields are left out).
     */
    public JsonNode execute(String command, Object arguments) {
        return execute(command, arguments, options.defaultCommandTimeout());
    }

    /** Runs a command, waiting at most {@code timeout} for the reply. */
    public JsonNode execute(String command, Object arguments, Duration timeout) {
        return await(submit(command, arguments, timeout), "QEMU to answer '" + command + "'");
    }

    /**
     * Sends a command and returns at once. The future completes with the {@code "return"} value, or
     * exceptionally with the same exceptions {@link #execute} throws (after the default command timeout
     * at the latest). Dependent stages do not run on the client's reader thread.
     */
    public CompletableFuture<JsonNode> executeAsync(String command, Object arguments) {
        return submit(command, arguments, options.defaultCommandTimeout()).whenCompleteAsync((v, e) -> { });
    }

    /** Registers a listener for all events; close the subscription to remove it. */
    public Subscription addEventListener(QmpEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return events.add(listener);
    }

    /**
     * Waits for the first event matching {@code match} that arrives after this call. To wait for an
     * event a command causes (STOP after {@code stop}) without racing it, use {@link #expectEvent}
     * before sending the command. Must not be called from an event listener.
     */
    public QmpEvent awaitEvent(Predicate<QmpEvent> match, Duration timeout) {
        if (events.isDispatcherThread()) {
            throw new IllegalStateException("awaitEvent called from a QMP event listener would wait for itself");
        }
        return await(expectEvent(match, timeout), "an event from QEMU");
    }

    /**
     * Starts waiting for the first event matching {@code match} that arrives after this call and
     * returns at once. Failures ({@link QmpTimeoutException}, {@link QmpDisconnectedException}) complete
     * the future exceptionally.
     */
    public CompletableFuture<QmpEvent> expectEvent(Predicate<QmpEvent> match, Duration timeout) {
        Objects.requireNonNull(match, "match");
        Timeouts.checkPositive(timeout, "timeout");
        FerryException closed = terminal.get();
        return closed != null ? CompletableFuture.failedFuture(afterEnd(closed)) : events.expect(match, timeout);
    }

    /** False once the client was closed or the connection ended. */
    public boolean isOpen() {
        return terminal.get() == null;
    }

    /** Closes the connection; waiting commands and event waits fail with {@link QmpDisconnectedException}. */
    @Override
    public void close() {
        end(new QmpDisconnectedException(socket, "The QMP client for QEMU at " + socket + " was closed"));
    }

    @Override
    public String toString() {
        return "QmpClient[" + socket + (isOpen() ? "" : ", closed") + "]";
    }

    private CompletableFuture<JsonNode> submit(String command, Object arguments, Duration timeout) {
        if (command == null || command.isBlank()) throw new IllegalArgumentException("command must not be blank");
        Timeouts.checkPositive(timeout, "timeout");
        ObjectNode message = Json.mapper().createObjectNode().put("execute", command);
        ObjectNode args = toArguments(command, arguments);
        if (args != null) message.set("arguments", args);
        FerryException closed = terminal.get();
        if (closed != null) return CompletableFuture.failedFuture(afterEnd(closed));
        PendingCommands.Pending p = pending.register(command, timeout);
        message.put("id", p.id());
        connection.send(message);
        return p.future();
    }

    private static ObjectNode toArguments(String command, Object arguments) {
        if (arguments == null) return null;
        if (arguments instanceof ObjectNode node) return node;
        JsonNode tree;
        try {
            tree = Json.mapper().valueToTree(arguments);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("arguments of '" + command + "' cannot be converted to JSON: "
                    + e.getMessage(), e);
        }
        if (tree == null || tree.isNull()) return null;
        if (!(tree instanceof ObjectNode node)) {
            throw new IllegalArgumentException("arguments of '" + command + "' must be a JSON object, not " + tree.getNodeType());
        }
        return node;
    }

    private QmpConnection.Handler handler() {
        return new QmpConnection.Handler() {
            @Override
            public void onMessage(JsonNode message) {
                route(message);
            }

            @Override
            public void onClosed(FerryException cause) {
                if (isOpen()) log.info("{}", cause.getMessage());
                end(cause);
            }
        };
    }

    /** Runs on the reader thread, in arrival order. */
    private void route(JsonNode message) {
        if (!greeting.isDone()) {
            JsonNode qmp = message.get("QMP");
            if (qmp == null || !qmp.isObject()) {
                end(new QmpProtocolException(socket, "expected the QMP greeting but got a message with fields "
                        + fieldNames(message)));
            } else {
                greeting.complete(qmp);
            }
        } else if (message.has("event")) {
            events.dispatch(QmpEvent.fromMessage(message));
        } else if (message.has("return") || message.has("error")) {
            if (!pending.complete(message.get("id"), message)) {
                log.debug("Ignored a QMP reply from {} that no command waits for (late or unknown id): {}",
                        socket, message);
            }
        } else {
            log.debug("Ignored an unrecognized QMP message from {}: {}", socket, message);
        }
    }

    private void awaitGreeting() {
        Duration timeout = options.defaultCommandTimeout();
        CompletableFuture<JsonNode> bounded = greeting.copy();
        ScheduledFuture<?> deadline = Timeouts.schedule(() -> bounded.completeExceptionally(new QmpTimeoutException(
                null, timeout, "QEMU at " + socket + " accepted the connection but sent no QMP greeting within "
                        + Timeouts.format(timeout) + " (is another client connected to this socket?)")), timeout);
        try {
            await(bounded, "the QMP greeting from QEMU");
        } finally {
            deadline.cancel(false);
        }
    }

    private void end(FerryException cause) {
        if (!terminal.compareAndSet(null, cause)) return;
        QmpConnection c = connection;
        if (c != null) c.close();
        greeting.completeExceptionally(cause);
        pending.failAll(cause);
        events.shutdown(cause);
    }

    /** The exception for calls made after the end: always "disconnected", naming the original reason. */
    private FerryException afterEnd(FerryException cause) {
        if (cause instanceof QmpDisconnectedException) return new QmpDisconnectedException(socket, cause.getMessage());
        return new QmpDisconnectedException(socket, "The connection to QEMU at " + socket
                + " was closed after an earlier error: " + cause.getMessage());
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new FerryException(ErrorCode.INTERNAL, "Failed waiting for " + what + ": " + QmpConnection.reason(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "Interrupted while waiting for " + what);
        }
    }

    private static String fieldNames(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        message.fieldNames().forEachRemaining(n -> sb.append(sb.length() == 0 ? "" : ", ").append(n));
        return "[" + sb + "]";
    }
}

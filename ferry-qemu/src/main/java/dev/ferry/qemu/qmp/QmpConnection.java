package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte-level side of a QMP session: one unix socket, a reader thread that frames and parses
 * incoming messages, and a writer thread that sends outgoing ones whole and in order. Writes run on
 * their own thread because socket channels close themselves when a writing thread is interrupted;
 * callers of the client may be interrupted freely without killing the session. It knows nothing of
 * ids, replies or events: it reports each message, and exactly once the end of the connection.
 */
final class QmpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QmpConnection.class);
    private static final long RETRY_MILLIS = 50;

    /** Receives what the connection sees: messages from the reader thread, the end from reader or writer. */
    interface Handler {
        void onMessage(JsonNode message);

        /** The connection ended for {@code cause}; called at most once, and not after {@link #close()}. */
        void onClosed(FerryException cause);
    }

    private final Path socket;
    private final SocketChannel channel;
    private final int maxMessageBytes;
    private final Handler handler;
    private final ExecutorService writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QmpConnection(Path socket, SocketChannel channel, int maxMessageBytes, Handler handler) {
        this.socket = socket;
        this.channel = channel;
        this.maxMessageBytes = maxMessageBytes;
        this.handler = handler;
        this.writer = Executors.newSingleThreadExecutor(daemon("qmp-writer[" + socket + "]"));
    }

    /** Connects, retrying until the socket accepts or {@code timeout} passes; {@link #start()} begins reading. */
    static QmpConnection open(Path socket, Duration timeout, int maxMessageBytes, Handler handler) {
        return new QmpConnection(socket, connect(socket, timeout), maxMessageBytes, handler);
    }

    /** Starts the reader thread; from now on the handler hears about messages and the end. */
    void start() {
        daemon("qmp-reader[" + socket + "]").newThread(this::readLoop).start();
    }

    /** Queues one message; it goes out whole, after every message queued before it. */
    void send(JsonNode message) {
        byte[] bytes;
        try {
            bytes = (Json.mapper().writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize a QMP message: " + e.getOriginalMessage(), e);
        }
        try {
            writer.execute(() -> writeFully(bytes));
        } catch (RejectedExecutionException e) {
            // Closed: the client has already failed (or will fail) the command that sent this.
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        writer.shutdownNow();
        closeQuietly(channel);
    }

    private static SocketChannel connect(Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            String problem;
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(address);
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
                problem = reason(e);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new QmpTimeoutException(null, timeout, "QEMU's QMP socket " + socket
                        + " did not accept a connection within " + Timeouts.format(timeout) + " (" + problem + ")");
            }
            sleep(Math.min(RETRY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), socket);
        }
    }

    private void readLoop() {
        JsonObjectFramer framer = new JsonObjectFramer(maxMessageBytes);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    end(QmpDisconnectedException.lost(socket, "QEMU closed the socket"
                            + (framer.pendingBytes() > 0 ? " in the middle of a message" : "")));
                    return;
                }
                for (byte[] message : framer.feed(buffer.array(), 0, n)) {
                    handler.onMessage(parse(message));
                }
            }
        } catch (JsonObjectFramer.FramingException e) {
            end(new QmpProtocolException(socket, e.getMessage()));
        } catch (QmpProtocolException e) {
            end(e);
        } catch (IOException e) {
            end(QmpDisconnectedException.lost(socket, reason(e)));
        } catch (RuntimeException | Error e) {
            log.error("QMP reader for {} failed unexpectedly", socket, e);
            end(QmpDisconnectedException.lost(socket, "internal error in the QMP reader: " + reason(e)));
        }
    }

    private JsonNode parse(byte[] message) {
        try {
            return Json.mapper().readTree(message);
        } catch (IOException e) {
            String problem = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new QmpProtocolException(socket, "malformed JSON (" + firstLine(problem) + ") in message starting "
                    + snippet(message));
        }
    }

    private void writeFully(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            end(QmpDisconnectedException.lost(socket, "writing failed: " + reason(e)));
        }
    }

    /** Reports the end once, unless the client closed us itself (then nobody needs to hear it). */
    private void end(FerryException cause) {
        if (closed.compareAndSet(false, true)) {
            writer.shutdownNow();
            closeQuietly(channel);
            handler.onClosed(cause);
        }
    }

    private static String snippet(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, 60), StandardCharsets.UTF_8);
        return "'" + text.replaceAll("\\s+", " ") + (message.length > 60 ? "...'" : "'");
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown problem";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void sleep(long millis, Path socket) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "Interrupted while connecting to QEMU at " + socket);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the channel is unusable either way.
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

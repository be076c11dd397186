package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process stand-in for QEMU's QMP monitor on a temporary unix socket, in the spirit of OkHttp's
 * MockWebServer. It exists because the failures a QMP client must survive — replies split across
 * reads, events between replies, garbage, oversize messages, QEMU dying mid-command — cannot be
 * provoked on demand from a real QEMU, and because other modules' tests need a QEMU they can script
 * without booting one. It greets each client, answers {@code qmp_capabilities}, answers commands
 * scripted with {@link #on} and queues all others for {@link #takeCommand} so a test can answer them
 * by hand, in any order. Every command received is recorded. One client at a time, like QEMU.
 */
public final class FakeQmpPeer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A command the peer received; {@code arguments} is an empty object when none were sent. */
    public record Command(String name, JsonNode arguments, JsonNode id, JsonNode raw) {}

    /** A scripted answer to a command. Immutable; the builder methods return copies. */
    public static final class Reply {
        private final String returnJson;
        private final String errorClass;
        private final String errorDesc;
        private final boolean disconnect;
        private final List<String> eventsBefore;
        private final int chunkSize;

        private Reply(String returnJson, String errorClass, String errorDesc, boolean disconnect,
                List<String> eventsBefore, int chunkSize) {
            this.returnJson = returnJson;
            this.errorClass = errorClass;
            this.errorDesc = errorDesc;
            this.disconnect = disconnect;
            this.eventsBefore = List.copyOf(eventsBefore);
            this.chunkSize = chunkSize;
        }

        /** Answers {@code {"return": <returnJson>}}. */
        public static Reply ok(String returnJson) {
            return new Reply(returnJson, null, null, false, List.of(), Integer.MAX_VALUE);
        }

        /** Answers {@code {"error": {"class": ..., "desc": ...}}}. */
        public static Reply error(String errorClass, String desc) {
            return new Reply(null, errorClass, desc, false, List.of(), Integer.MAX_VALUE);
        }

        /** Closes the connection instead of answering, like a QEMU that dies mid-command. */
        public static Reply disconnect() {
            return new Reply(null, null, null, true, List.of(), Integer.MAX_VALUE);
        }

        /** Sends these data-less events before the reply, as QEMU does (STOP before the answer to stop). */
        public Reply eventsBefore(String... eventNames) {
            return new Reply(returnJson, errorClass, errorDesc, disconnect, List.of(eventNames), chunkSize);
        }

        /** Writes events and reply one byte per write, with a pause between writes. */
        public Reply bytewise() {
            return new Reply(returnJson, errorClass, errorDesc, disconnect, eventsBefore, 1);
        }
    }

    private final Path socket;
    private final Path ownedDir;
    private final ServerSocketChannel server;
    private final Map<String, Reply> script = new ConcurrentHashMap<>();
    private final BlockingQueue<Command> unanswered = new LinkedBlockingQueue<>();
    private final List<Command> received = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();
    private volatile String greeting = greetingFor(10, 0, 2);
    private volatile SocketChannel client;
    private volatile boolean closed;

    private FakeQmpPeer(Path socket, Path ownedDir) throws IOException {
        this.socket = socket;
        this.ownedDir = ownedDir;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        script.put("qmp_capabilities", Reply.ok("{}"));
        Thread t = new Thread(this::serve, "fake-qmp[" + socket + "]");
        t.setDaemon(true);
        t.start();
    }

    /** Listens on {@code qmp.sock} in a new temporary directory, removed by {@link #close()}. */
    public static FakeQmpPeer start() {
        try {
            Path dir = Files.createTempDirectory("fake-qmp");
            return new FakeQmpPeer(dir.resolve("qmp.sock"), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Listens on the given path (which must not exist yet). */
    public static FakeQmpPeer start(Path socket) {
        try {
            return new FakeQmpPeer(socket, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Announces this QEMU version in the greeting of the next client. */
    public FakeQmpPeer withVersion(int major, int minor, int micro) {
        greeting = greetingFor(major, minor, micro);
        return this;
    }

    /** Sends this raw text instead of a greeting to the next client (for broken-greeting tests). */
    public FakeQmpPeer withRawGreeting(String text) {
        greeting = text;
        return this;
    }

    /** Answers every later {@code command} with {@code reply} (replacing an earlier script). */
    public FakeQmpPeer on(String command, Reply reply) {
        script.put(command, reply);
        return this;
    }

    /** The next command that had no script, waiting up to {@code timeout}; fails the test if none came. */
    public Command takeCommand(Duration timeout) {
        try {
            Command c = unanswered.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) throw new AssertionError("FakeQmpPeer: no unscripted command arrived within " + timeout);
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public void reply(Command command, String returnJson) {
        sendRaw(replyText(command, returnJson));
    }

    public void replyError(Command command, String errorClass, String desc) {
        sendRaw(errorText(command.id(), errorClass, desc));
    }

    /** The exact text (with trailing CRLF) of a success reply to {@code command}. */
    public String replyText(Command command, String returnJson) {
        return "{\"return\": " + returnJson + ", \"id\": " + command.id() + "}\r\n";
    }

    /** The exact text (with trailing CRLF) of an event, with a current timestamp; dataJson may be null. */
    public static String eventText(String name, String dataJson) {
        Instant now = Instant.now();
        return "{\"timestamp\": {\"seconds\": " + now.getEpochSecond() + ", \"microseconds\": "
                + now.getNano() / 1000 + "}, \"event\": \"" + name + "\""
                + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}\r\n";
    }

    public void sendEvent(String name, String dataJson) {
        sendRaw(eventText(name, dataJson));
    }

    /** Writes text as is, in one write. */
    public void sendRaw(String text) {
        sendChunked(Integer.MAX_VALUE, text);
    }

    /** Concatenates {@code texts} and writes them in pieces of {@code chunkSize} bytes, pausing between. */
    public void sendChunked(int chunkSize, String... texts) {
        write(String.join("", texts).getBytes(StandardCharsets.UTF_8), chunkSize);
    }

    /** Sends one well-formed event of at least {@code bytes} bytes. Write errors (client hung up) are ignored. */
    public void sendOversize(int bytes) {
        sendRaw("{\"event\": \"HUGE\", \"data\": {\"blob\": \"" + "x".repeat(bytes) + "\"}}\r\n");
    }

    /** Closes the client connection, like a QEMU that died. */
    public void dropConnection() {
        SocketChannel c = client;
        if (c != null) closeQuietly(c);
    }

    public boolean isClientConnected() {
        SocketChannel c = client;
        return c != null && c.isOpen();
    }

    public List<Command> receivedCommands() {
        return List.copyOf(received);
    }

    public List<String> receivedCommandNames() {
        List<String> names = new ArrayList<>();
        received.forEach(c -> names.add(c.name()));
        return names;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropConnection();
        try {
            Files.deleteIfExists(socket);
            if (ownedDir != null) Files.deleteIfExists(ownedDir);
        } catch (IOException ignored) {
            // A leftover file in a temp directory is harmless.
        }
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel c = server.accept()) {
                client = c;
                write(greeting.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
                readCommands(c);
            } catch (IOException e) {
                // Server closed (peer closing) or the client went away: wait for the next one.
            } finally {
                client = null;
            }
        }
    }

    private void readCommands(SocketChannel c) throws IOException {
        InputStream in = Channels.newInputStream(c);
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            while (parser.nextToken() != null) {
                JsonNode raw = MAPPER.readTree(parser);
                Command command = new Command(raw.path("execute").asText(),
                        raw.has("arguments") ? raw.get("arguments") : MAPPER.createObjectNode(), raw.get("id"), raw);
                received.add(command);
                Reply reply = script.get(command.name());
                if (reply == null) unanswered.add(command);
                else answer(command, reply);
            }
        }
    }

    private void answer(Command command, Reply reply) {
        if (reply.disconnect) {
            dropConnection();
            return;
        }
        StringBuilder text = new StringBuilder();
        reply.eventsBefore.forEach(e -> text.append(eventText(e, null)));
        text.append(reply.returnJson != null ? replyText(command, reply.returnJson)
                : errorText(command.id(), reply.errorClass, reply.errorDesc));
        write(text.toString().getBytes(StandardCharsets.UTF_8), reply.chunkSize);
    }

    private static String errorText(JsonNode id, String errorClass, String desc) {
        return "{\"id\": " + id + ", \"error\": {\"class\": " + quote(errorClass) + ", \"desc\": " + quote(desc) + "}}\r\n";
    }

    private void write(byte[] bytes, int chunkSize) {
        synchronized (writeLock) {
            SocketChannel c = client;
            if (c == null) throw new IllegalStateException("FakeQmpPeer: no client is connected");
            try {
                for (int off = 0; off < bytes.length; off += chunkSize) {
                    ByteBuffer chunk = ByteBuffer.wrap(bytes, off, Math.min(chunkSize, bytes.length - off));
                    while (chunk.hasRemaining()) c.write(chunk);
                    if (chunkSize < bytes.length) pause();
                }
            } catch (IOException e) {
                // The client hung up (expected after oversize or malformed messages).
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String greetingFor(int major, int minor, int micro) {
        return "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": " + micro + ", \"minor\": " + minor + ", \"major\": "
                + major + "}, \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}\r\n";
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
    }
}

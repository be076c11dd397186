package dev.ferry.transfer;

import com.github.luben.zstd.Zstd;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of one disk transfer: a mutual-TLS listener of its own (TLS 1.2/1.3, client
 * certificate required, trusting only the cluster CA) that accepts the sender holding this
 * transfer's random token, writes verified chunks into a sparse partial image next to the target,
 * and keeps a {@link ReceiveJournal} so a new connection resumes where the last one stopped.
 *
 * <p>Why a socket protocol of its own and not the agent's HTTP API: the data is a long stream of
 * large binary chunks that must flow without a round trip per chunk, with answers (ACKs, refusals)
 * coming back asynchronously on the same connection; frames have a hard size limit checked before
 * allocating; a per-transfer listener with a one-time token (like QEMU's incoming migration port)
 * keeps multi-gigabyte streams out of the JSON API server's request limits and worker threads; and
 * the bytes on the wire are exactly the frames counted here. The agent's API only sets it up.
 *
 * <p>Every chunk is decompressed into a buffer bounded by the window size, its CRC32C (over its
 * range list and data) is checked, and only then written; a mismatch is answered with a refusal
 * and nothing is written. Nothing is preallocated: the partial image is a sparse file of the
 * virtual size and only the chunks' ranges are written. At FINISH the receiver computes the
 * whole-image digest from what is on its disk, compares it with the sender's, and only on a match
 * turns the partial image into the target (a rename, or {@code qemu-img convert -f raw -O qcow2}).
 */
public final class DiskReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskReceiver.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SYNC_BYTES = 64L << 20;
    private static final long SYNC_NANOS = 1_000_000_000L;

    /**
     * @param transferId   names the partial files ({@code .ferry-recv-ID.raw}, {@code .journal}) beside the target
     * @param target       the image to create; must not exist
     * @param format       raw, or qcow2 (converted from the received raw at the end)
     * @param bindAddress  address to listen on (port chosen by the kernel)
     * @param idleTimeoutMillis a connection silent this long is dropped
     */
    public record Config(String transferId, Path target, DiskFormat format, SSLContext ssl, String bindAddress, QemuImg qemuImg,
                         int idleTimeoutMillis) {}

    private final Config config;
    private final String token;
    private final SSLServerSocket server;
    private final Path part;
    private final Path journalFile;
    private final TransferProgress progress;
    private final Object sessionLock = new Object();
    private final Thread acceptor;
    private volatile Socket active;
    private volatile Thread activeHandler;
    private volatile boolean closed;
    private ReceiveJournal journal;
    private FileChannel image;
    private long imageSize = -1;

    private DiskReceiver(Config config, SSLServerSocket server) {
        this.config = config;
        this.server = server;
        byte[] t = new byte[32];
        RANDOM.nextBytes(t);
        this.token = HexFormat.of().formatHex(t);
        this.part = config.target().resolveSibling(".ferry-recv-" + config.transferId() + ".raw");
        this.journalFile = config.target().resolveSibling(".ferry-recv-" + config.transferId() + ".journal");
        this.progress = new TransferProgress(config.transferId(), "receive", config.target().toString());
        this.acceptor = new Thread(this::acceptLoop, "transfer-accept-" + config.transferId());
        this.acceptor.setDaemon(true);
    }

    /** Starts listening. A partial image and journal left by an earlier receiver of the same id are resumed. */
    public static DiskReceiver open(Config config) {
        if (Files.exists(config.target())) {
            throw new FerryException(ErrorCode.INVALID_STATE, config.target() + " already exists; refusing to overwrite it");
        }
        SSLServerSocket s;
        try {
            s = (SSLServerSocket) config.ssl().getServerSocketFactory().createServerSocket(0, 4, InetAddress.getByName(config.bindAddress()));
            s.setNeedClientAuth(true);
            s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot listen for a disk transfer on " + config.bindAddress() + ": " + e.getMessage(), e);
        }
        DiskReceiver r = new DiskReceiver(config, s);
        r.acceptor.start();
        return r;
    }

    public int port() { return server.getLocalPort(); }

    public String token() { return token; }

    public Path target() { return config.target(); }

    public TransferProgress progress() { return progress; }

    private void acceptLoop() {
        while (!closed && !server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handle(s), "transfer-recv-" + config.transferId());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed && !server.isClosed()) LOG.warn("transfer {}: accept failed: {}", config.transferId(), e.getMessage());
            }
        }
    }

    private void handle(Socket socket) {
        try (FrameChannel ch = new FrameChannel(socket, progress.wireBytes)) {
            socket.setSoTimeout(config.idleTimeoutMillis());
            socket.setTcpNoDelay(true);
            Messages.Hello hello = Messages.hello(ch.expect(Frame.HELLO).payload());
            if (!MessageDigest.isEqual(hello.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                ch.write(Frame.ERROR, Messages.text("wrong token for transfer " + config.transferId()));
                return;
            }
            supersede(socket);
            synchronized (sessionLock) {
                if (closed || progress.state().equals("done")) {
                    ch.write(Frame.ERROR, Messages.text("transfer " + config.transferId() + " is " + progress.state()));
                    return;
                }
                active = socket;
                activeHandler = Thread.currentThread();
                progress.connections.incrementAndGet();
                progress.state("running");
                session(ch, hello);
            }
        } catch (ProtocolException e) {
            LOG.warn("transfer {}: protocol error, dropping the connection: {}", config.transferId(), e.getMessage());
        } catch (IOException e) {
            if (!closed) LOG.info("transfer {}: connection ended: {}", config.transferId(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("transfer {}: failed", config.transferId(), e);
            progress.fail(e.getMessage());
        } finally {
            if (active == socket) active = null;
            if (!progress.state().equals("done") && !progress.state().equals("failed") && !closed) progress.state("waiting");
        }
    }

    /** A new connection of the same sender replaces a stale one (e.g. half-open after a network cut). */
    private void supersede(Socket newcomer) throws IOException {
        Socket old = active;
        Thread oldHandler = activeHandler;
        if (old != null && old != newcomer) {
            old.close();
            if (oldHandler != null) {
                try {
                    oldHandler.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    private void session(FrameChannel ch, Messages.Hello hello) throws IOException {
        openImage(hello);
        List<Messages.StateEntry> entries = journal.entries();
        for (int i = 0; i < entries.size(); i += Messages.STATE_ENTRIES_PER_FRAME) {
            ch.write(Frame.STATE, Messages.state(entries.subList(i, Math.min(entries.size(), i + Messages.STATE_ENTRIES_PER_FRAME))));
        }
        ch.write(Frame.STATE_END, new byte[0]);
        List<Messages.StateEntry> unsynced = new ArrayList<>();
        long unsyncedBytes = 0;
        long lastSync = System.nanoTime();
        byte[] raw = new byte[hello.windowSize()];
        try {
            while (true) {
                Frame f = ch.read();
                if (f.type() == Frame.CHUNK) {
                    Messages.StateEntry written = chunk(ch, f.payload(), hello, raw);
                    if (written != null) {
                        unsynced.add(written);
                        unsyncedBytes += f.payload().length;
                    }
                    if (unsyncedBytes >= SYNC_BYTES || System.nanoTime() - lastSync > SYNC_NANOS) {
                        sync(unsynced);
                        unsyncedBytes = 0;
                        lastSync = System.nanoTime();
                    }
                } else if (f.type() == Frame.FINISH) {
                    sync(unsynced);
                    finish(ch, Messages.finishDigest(f.payload()));
                    return;
                } else if (f.type() == Frame.ERROR) {
                    throw new IOException("the sender gave up: " + Messages.text(f.payload()));
                } else {
                    throw new ProtocolException("unexpected " + f + " from the sender");
                }
            }
        } finally {
            // Whatever was verified and written before the connection ended is kept for the next one.
            if (image != null && image.isOpen()) sync(unsynced);
        }
    }

    private void openImage(Messages.Hello hello) throws IOException {
        if (journal != null && imageSize == hello.virtualSize()) return;
        if (journal != null) journal.close();
        if (image != null) image.close();
        journal = ReceiveJournal.open(journalFile, hello.virtualSize(), hello.windowSize());
        if (journal.isFresh() || !Files.exists(part)) {
            Files.deleteIfExists(part);
            try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
                f.setLength(hello.virtualSize()); // sparse: nothing is preallocated
            }
        } else {
            LOG.info("transfer {}: resuming with {} chunks already on disk", config.transferId(), journal.size());
        }
        image = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
        imageSize = hello.virtualSize();
        progress.virtualSize = imageSize;
    }

    /** Verifies and writes one chunk; returns its journal entry, or null if it was refused. */
    private Messages.StateEntry chunk(FrameChannel ch, byte[] payload, Messages.Hello hello, byte[] raw) throws IOException {
        Messages.ChunkHeader h = Messages.chunkHeader(payload, hello.windowSize());
        Messages.Range last = h.ranges().get(h.ranges().size() - 1);
        if (h.windowOffset() + last.offset() + last.length() > imageSize) throw new ProtocolException("CHUNK beyond the image end");
        int dataLength = payload.length - h.headerBytes();
        boolean intact;
        if (h.codec() == Messages.CODEC_ZSTD) {
            long n;
            try {
                n = Zstd.decompressByteArray(raw, 0, h.rawLength(), payload, h.headerBytes(), dataLength);
            } catch (RuntimeException e) {
                n = -1;
            }
            intact = n == h.rawLength();
        } else {
            intact = dataLength == h.rawLength();
            if (intact) System.arraycopy(payload, h.headerBytes(), raw, 0, dataLength);
        }
        if (intact) {
            intact = java.util.Arrays.equals(Messages.checksum(h.windowOffset(), h.ranges(), raw, 0, h.rawLength()), h.checksum());
        }
        if (!intact) {
            progress.chunksRejected.incrementAndGet();
            LOG.warn("transfer {}: chunk at {} failed its checksum; refused, not written", config.transferId(), h.windowOffset());
            ch.write(Frame.ACK, Messages.ack(h.windowOffset(), Messages.ACK_BAD_CHECKSUM));
            return null;
        }
        int pos = 0;
        for (Messages.Range r : h.ranges()) {
            ByteBuffer b = ByteBuffer.wrap(raw, pos, r.length());
            long at = h.windowOffset() + r.offset();
            while (b.hasRemaining()) at += image.write(b, at);
            pos += r.length();
        }
        progress.chunksSent.incrementAndGet();
        progress.dataBytes.addAndGet(h.rawLength());
        progress.doneBytes.set(Math.min(imageSize, h.windowOffset() + hello.windowSize()));
        ch.write(Frame.ACK, Messages.ack(h.windowOffset(), Messages.ACK_OK));
        return new Messages.StateEntry(h.windowOffset(), h.checksum());
    }

    private void sync(List<Messages.StateEntry> unsynced) throws IOException {
        if (unsynced.isEmpty()) return;
        image.force(false);
        journal.commit(unsynced);
        unsynced.clear();
    }

    private void finish(FrameChannel ch, byte[] senderDigest) throws IOException {
        progress.state("finishing");
        Thread keepAlive = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(2_000);
                    ch.write(Frame.PROGRESS, Messages.progress(progress.doneBytes.get()));
                }
            } catch (InterruptedException | IOException e) {
                // finishing is over, or the connection is gone
            }
        }, "transfer-keepalive-" + config.transferId());
        keepAlive.setDaemon(true);
        keepAlive.start();
        try {
            image.force(true);
            image.close();
            Path dir = config.target().getParent();
            byte[] mine = ImageDigests.of(part, DiskFormat.RAW, dir, config.qemuImg(), progress.doneBytes::set);
            if (!MessageDigest.isEqual(mine, senderDigest)) {
                String why = "image digest " + ImageDigest.hex(mine) + " of the received data differs from the sender's "
                        + ImageDigest.hex(senderDigest);
                progress.fail(why);
                discardPartial();
                stopKeepAlive(keepAlive);
                ch.write(Frame.RESULT, Messages.result(new Messages.Result(Messages.RESULT_MISMATCH, mine, why)));
                return;
            }
            if (config.format() == DiskFormat.QCOW2) {
                Path tmp = config.target().resolveSibling(".ferry-recv-" + config.transferId() + ".qcow2");
                Files.deleteIfExists(tmp);
                config.qemuImg().convert(part, ImageFormat.RAW, tmp, ImageFormat.QCOW2, null, 24 * 3600, null);
                byte[] converted = ImageDigests.of(tmp, DiskFormat.QCOW2, dir, config.qemuImg(), null);
                if (!MessageDigest.isEqual(converted, mine)) {
                    Files.deleteIfExists(tmp);
                    throw new IOException("the qcow2 conversion of the received image has a different digest");
                }
                Files.move(tmp, config.target());
                Files.deleteIfExists(part);
            } else {
                Files.move(part, config.target());
            }
            journal.close();
            Files.deleteIfExists(journalFile);
            progress.digest = ImageDigest.hex(mine);
            progress.doneBytes.set(imageSize);
            progress.state("done");
            stopKeepAlive(keepAlive);
            ch.write(Frame.RESULT, Messages.result(new Messages.Result(Messages.RESULT_MATCH, mine, "")));
            LOG.info("transfer {}: received {} ({} chunks, digest {})", config.transferId(), config.target(),
                    progress.chunksSent.get(), progress.digest);
            closeListener();
        } catch (RuntimeException | IOException e) {
            progress.fail("finishing failed: " + e.getMessage());
            stopKeepAlive(keepAlive);
            try {
                ch.write(Frame.RESULT, Messages.result(new Messages.Result(Messages.RESULT_FAILED, new byte[32], progress.error)));
            } catch (IOException ignored) {
                // the sender will see the connection end
            }
        }
    }

    private static void stopKeepAlive(Thread t) {
        t.interrupt();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and drops the connection; the partial image and journal stay for a later resume. */
    @Override
    public void close() {
        closed = true;
        closeListener();
        Socket s = active;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        Thread h = activeHandler;
        if (h != null && h != Thread.currentThread()) {
            try {
                h.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (sessionLock) {
            closeFiles();
        }
        if (!progress.state().equals("done") && !progress.state().equals("failed")) progress.state("cancelled");
    }

    /** {@link #close()}, and deletes the partial image and journal. */
    public void cancel() {
        close();
        discardPartial();
        if (!progress.state().equals("done")) progress.state("cancelled");
    }

    private void discardPartial() {
        closeFiles();
        try {
            Files.deleteIfExists(part);
            Files.deleteIfExists(journalFile);
        } catch (IOException e) {
            LOG.warn("transfer {}: cannot delete partial files: {}", config.transferId(), e.getMessage());
        }
    }

    private void closeFiles() {
        try {
            if (image != null) image.close();
            if (journal != null) journal.close();
        } catch (IOException ignored) {
            // closing
        }
        image = null;
        journal = null;
        imageSize = -1;
    }

    private void closeListener() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** For tests: the partial image file. */
    Path partialImage() { return part; }
}

package dev.ferry.transfer;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of one disk transfer. Streams the source's data windows as CHUNK frames over a
 * mutual-TLS socket without waiting for each answer (up to {@value #MAX_IN_FLIGHT} unanswered), a
 * reader thread takes the receiver's ACKs, and a chunk the receiver refused (checksum mismatch) is
 * read again from the source and sent again, at most {@value #MAX_CHUNK_ATTEMPTS} times. When the
 * connection breaks, the sender reconnects (up to {@link Options#maxReconnects()} times) and the
 * receiver's STATE tells it which chunks are already safely on disk there: those are read and
 * digested locally but not sent again. At the end both sides' whole-image digests must agree.
 */
public final class DiskSender {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSender.class);
    static final int MAX_IN_FLIGHT = 16;
    static final int MAX_CHUNK_ATTEMPTS = 5;

    /**
     * @param compress      zstd per chunk (level 1; sent raw where it does not shrink)
     * @param bytesPerSecond cap on frame bytes written; 0 = uncapped
     * @param maxReconnects reconnections after a broken connection before giving up
     * @param retryDelay    wait before the first reconnection (doubles, at most 10 s)
     * @param fault         test hook that damages chunks on the wire; {@link ChunkFault#NONE} normally
     */
    public record Options(boolean compress, long bytesPerSecond, int maxReconnects, Duration retryDelay, ChunkFault fault) {
        public static Options defaults() { return new Options(false, 0, 10, Duration.ofSeconds(1), ChunkFault.NONE); }

        public Options withCompress(boolean c) { return new Options(c, bytesPerSecond, maxReconnects, retryDelay, fault); }

        public Options withBandwidth(long bps) { return new Options(compress, bps, maxReconnects, retryDelay, fault); }

        public Options withFault(ChunkFault f) { return new Options(compress, bytesPerSecond, maxReconnects, retryDelay, f); }

        public Options withRetry(int reconnects, Duration delay) { return new Options(compress, bytesPerSecond, reconnects, delay, fault); }
    }

    private final SSLContext ssl;
    private final String host;
    private final int port;
    private final String token;
    private final SourceImage source;
    private final Options options;
    private final TransferProgress progress;
    private final TokenBucket bucket;
    private volatile boolean cancelled;
    private volatile FrameChannel current;

    public DiskSender(SSLContext ssl, String host, int port, String token, SourceImage source, Options options,
                      TransferProgress progress) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
        this.token = token;
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.bucket = new TokenBucket(options.bytesPerSecond());
        progress.virtualSize = source.virtualSize();
    }

    public TransferProgress progress() { return progress; }

    /** Sends the image; returns the agreed digest (hex). Throws {@link FerryException} when it gives up. */
    public String run() {
        progress.state("running");
        int failures = 0;
        while (true) {
            if (cancelled) throw cancelledError();
            try (FrameChannel ch = connect()) {
                current = ch;
                progress.connections.incrementAndGet();
                String digest = session(ch);
                progress.digest = digest;
                progress.state("done");
                return digest;
            } catch (FrameChannel.PeerErrorException | ProtocolException | DigestMismatch e) {
                progress.fail(e.getMessage());
                throw new FerryException(ErrorCode.IO_ERROR, "disk transfer to " + host + ":" + port + " failed: " + e.getMessage(), e);
            } catch (IOException e) {
                if (cancelled) throw cancelledError();
                failures++;
                if (failures > options.maxReconnects()) {
                    progress.fail("connection to the receiver lost " + failures + " times, last: " + e.getMessage());
                    throw new FerryException(ErrorCode.IO_ERROR, progress.error, e);
                }
                LOG.warn("transfer {}: connection to {}:{} broke ({}); reconnecting ({} of {})", progress.transferId, host, port,
                        e.getMessage(), failures, options.maxReconnects());
                progress.state("reconnecting");
                sleep(Math.min(10_000, options.retryDelay().toMillis() << Math.min(failures - 1, 10)));
                progress.state("running");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                progress.fail("interrupted");
                throw new FerryException(ErrorCode.IO_ERROR, "interrupted");
            } finally {
                current = null;
            }
        }
    }

    /** Stops the transfer (from another thread); {@link #run()} then fails with "cancelled". */
    public void cancel() {
        cancelled = true;
        FrameChannel ch = current;
        if (ch != null) ch.close();
    }

    private FerryException cancelledError() {
        progress.error = "cancelled";
        progress.state("cancelled");
        return new FerryException(ErrorCode.IO_ERROR, "the transfer was cancelled");
    }

    private FrameChannel connect() throws IOException {
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(host, port), 10_000);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the receiver's certificate must name the address dialled
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            s.setSSLParameters(params);
            s.setSoTimeout(120_000);
            s.setTcpNoDelay(true);
            s.startHandshake();
            return new FrameChannel(s, progress.wireBytes);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private record InFlight(byte[] checksum, int attempt) {}

    private String session(FrameChannel ch) throws IOException, InterruptedException {
        ch.write(Frame.HELLO, Messages.hello(new Messages.Hello(token, source.virtualSize(), source.windowSize())));
        Map<Long, byte[]> have = new HashMap<>();
        for (Frame f = ch.read(); f.type() != Frame.STATE_END; f = ch.read()) {
            if (f.type() == Frame.ERROR) throw new FrameChannel.PeerErrorException(Messages.text(f.payload()));
            if (f.type() != Frame.STATE) throw new ProtocolException("expected STATE, got " + f);
            for (Messages.StateEntry e : Messages.state(f.payload())) have.put(e.windowOffset(), e.digest());
        }
        Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
        LinkedBlockingDeque<Long> resend = new LinkedBlockingDeque<>();
        Semaphore window = new Semaphore(MAX_IN_FLIGHT);
        AtomicReference<Object> outcome = new AtomicReference<>(); // Messages.Result or Exception
        Thread reader = new Thread(() -> readLoop(ch, inFlight, resend, window, outcome), "transfer-acks-" + progress.transferId);
        reader.setDaemon(true);
        reader.start();
        try {
            ImageDigest digest = new ImageDigest(source.virtualSize());
            WindowEncoder encoder = new WindowEncoder(source, options.compress());
            progress.doneBytes.set(0);
            for (long offset : source.windowOffsets()) {
                WindowEncoder.Chunk c = encoder.encode(offset, digest);
                progress.doneBytes.set(Math.min(source.virtualSize(), offset + source.windowSize()));
                if (c.isEmpty()) continue;
                byte[] had = have.get(offset);
                if (had != null && Arrays.equals(had, c.checksum())) {
                    progress.chunksSkipped.incrementAndGet();
                    continue;
                }
                acquire(window, outcome);
                inFlight.put(offset, new InFlight(c.checksum(), 0));
                send(ch, c, 0);
                resendRefused(ch, encoder, inFlight, resend, outcome);
            }
            while (!inFlight.isEmpty()) {
                checkReader(outcome);
                resendRefused(ch, encoder, inFlight, resend, outcome);
                Long again = resend.poll(50, TimeUnit.MILLISECONDS);
                if (again != null) resend.putFirst(again);
            }
            byte[] mine = digest.finish();
            progress.doneBytes.set(source.virtualSize());
            progress.state("finishing");
            ch.write(Frame.FINISH, Messages.finish(mine));
            reader.join(TimeUnit.HOURS.toMillis(6));
            Object o = outcome.get();
            if (o instanceof IOException e) throw e;
            if (o instanceof RuntimeException e) throw e;
            if (!(o instanceof Messages.Result r)) throw new IOException("the receiver closed the connection without a result");
            if (r.status() != Messages.RESULT_MATCH || !MessageDigest.isEqual(r.digest(), mine)) {
                throw new DigestMismatch("the receiver's image digest " + ImageDigest.hex(r.digest()) + " differs from the source's "
                        + ImageDigest.hex(mine) + (r.message().isEmpty() ? "" : ": " + r.message()));
            }
            return ImageDigest.hex(mine);
        } finally {
            ch.close();
            reader.join(5_000);
        }
    }

    private void resendRefused(FrameChannel ch, WindowEncoder encoder, Map<Long, InFlight> inFlight, LinkedBlockingDeque<Long> resend,
                               AtomicReference<Object> outcome) throws IOException {
        for (Long offset; (offset = resend.poll()) != null; ) {
            checkReader(outcome);
            InFlight f = inFlight.get(offset);
            int attempt = f.attempt() + 1;
            if (attempt >= MAX_CHUNK_ATTEMPTS) {
                throw new DigestMismatch("the chunk at offset " + offset + " failed the receiver's checksum " + attempt + " times");
            }
            WindowEncoder.Chunk c = encoder.encode(offset, null);
            if (!Arrays.equals(c.checksum(), f.checksum())) {
                throw new DigestMismatch("the source changed while it was sent (chunk at offset " + offset + ")");
            }
            inFlight.put(offset, new InFlight(f.checksum(), attempt));
            send(ch, c, attempt);
        }
    }

    private void send(FrameChannel ch, WindowEncoder.Chunk c, int attempt) throws IOException {
        byte[] header = Messages.chunkHeader(c.windowOffset(), c.ranges(), c.codec(), c.rawLength(), c.checksum());
        byte[] wire = options.fault().apply(c.windowOffset(), attempt, c.encoded());
        try {
            bucket.acquire(Frame.HEADER_BYTES + header.length + wire.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        ch.write(Frame.CHUNK, header, 0, header.length, wire, 0, wire.length);
        progress.chunksSent.incrementAndGet();
        progress.dataBytes.addAndGet(c.rawLength());
    }

    private void readLoop(FrameChannel ch, Map<Long, InFlight> inFlight, LinkedBlockingDeque<Long> resend, Semaphore window,
                          AtomicReference<Object> outcome) {
        try {
            while (true) {
                Frame f = ch.read();
                switch (f.type()) {
                    case Frame.ACK -> {
                        Messages.Ack a = Messages.ack(f.payload());
                        if (!inFlight.containsKey(a.windowOffset())) throw new ProtocolException("ACK for a chunk not sent: " + a.windowOffset());
                        if (a.status() == Messages.ACK_OK) {
                            inFlight.remove(a.windowOffset());
                            window.release();
                        } else {
                            progress.chunksRejected.incrementAndGet();
                            LOG.warn("transfer {}: the receiver refused the chunk at {} (checksum mismatch); sending it again",
                                    progress.transferId, a.windowOffset());
                            resend.add(a.windowOffset());
                        }
                    }
                    case Frame.PROGRESS -> { /* keep-alive while the receiver verifies */ }
                    case Frame.RESULT -> {
                        outcome.set(Messages.result(f.payload()));
                        return;
                    }
                    case Frame.ERROR -> throw new FrameChannel.PeerErrorException(Messages.text(f.payload()));
                    default -> throw new ProtocolException("unexpected " + f + " from the receiver");
                }
            }
        } catch (SocketTimeoutException e) {
            outcome.compareAndSet(null, new IOException("the receiver did not answer for 120 s"));
        } catch (IOException | RuntimeException e) {
            outcome.compareAndSet(null, e);
        } finally {
            window.release(MAX_IN_FLIGHT); // wake a sender waiting for room
        }
    }

    private static void acquire(Semaphore window, AtomicReference<Object> outcome) throws IOException, InterruptedException {
        while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) checkReader(outcome);
        checkReader(outcome);
    }

    private static void checkReader(AtomicReference<Object> outcome) throws IOException {
        Object o = outcome.get();
        if (o instanceof IOException e) throw e;
        if (o instanceof RuntimeException e) throw e;
        if (o != null) throw new ProtocolException("the receiver answered before FINISH");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The two sides disagree about the data: not retried by reconnecting. */
    static final class DigestMismatch extends RuntimeException {
        DigestMismatch(String message) { super(message); }
    }
}

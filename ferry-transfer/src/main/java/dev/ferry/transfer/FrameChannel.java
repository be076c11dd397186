package dev.ferry.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames over one (TLS) socket: {@link #read()} by one thread, {@link #write} by any (writes are
 * serialised). Counts the bytes of frames written, which is what the transfer puts on the wire
 * before TLS adds its own few bytes per record.
 */
final class FrameChannel implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder();
    private final Deque<Frame> pending = new ArrayDeque<>();
    private final byte[] buf = new byte[64 << 10];
    private final AtomicLong written;

    FrameChannel(Socket socket, AtomicLong written) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.written = written;
    }

    Frame read() throws IOException {
        while (pending.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) throw new EOFException("the peer closed the connection" + (decoder.isIdle() ? "" : " in the middle of a frame"));
            pending.addAll(decoder.decode(ByteBuffer.wrap(buf, 0, n)));
        }
        return pending.poll();
    }

    /** Reads the next frame and requires its type; an ERROR frame from the peer becomes an IOException. */
    Frame expect(byte type) throws IOException {
        Frame f = read();
        if (f.type() == Frame.ERROR) throw new PeerErrorException(Messages.text(f.payload()));
        if (f.type() != type) throw new ProtocolException("expected " + Frame.name(type) + ", got " + f);
        return f;
    }

    void write(byte type, byte[] payload) throws IOException { write(type, payload, 0, payload.length, null, 0, 0); }

    /** Writes one frame whose payload is {@code a[aOff..aOff+aLen)} followed by {@code b[bOff..bOff+bLen)}. */
    void write(byte type, byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) throws IOException {
        int len = aLen + bLen;
        if (len > FrameDecoder.MAX_PAYLOAD) throw new ProtocolException("refusing to send a frame of " + len + " bytes");
        synchronized (out) {
            out.write(FrameDecoder.header(type, len));
            out.write(a, aOff, aLen);
            if (bLen > 0) out.write(b, bOff, bLen);
            out.flush();
        }
        written.addAndGet(Frame.HEADER_BYTES + len);
    }

    void setReadTimeoutMillis(int ms) throws IOException { socket.setSoTimeout(ms); }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The peer sent an ERROR frame. */
    static final class PeerErrorException extends IOException {
        PeerErrorException(String message) { super("peer reported: " + message); }
    }
}

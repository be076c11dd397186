package dev.ferry.transfer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoder of the frame layer, in the style of Netty's length-field decoders: feed it
 * whatever the socket delivered (one byte or many frames at a time) and take the complete frames.
 * The 5-byte header is judged before anything is allocated: an unknown type or a length above
 * {@link #MAX_PAYLOAD} is a {@link ProtocolException} and the connection must be dropped.
 */
public final class FrameDecoder {
    /** Largest payload accepted: a chunk of the largest window plus its header, with margin. */
    public static final int MAX_PAYLOAD = (8 << 20) + (64 << 10);

    private final int maxPayload;
    private final byte[] header = new byte[Frame.HEADER_BYTES];
    private int headerFill;
    private byte[] payload;
    private int payloadFill;

    public FrameDecoder() { this(MAX_PAYLOAD); }

    public FrameDecoder(int maxPayload) { this.maxPayload = maxPayload; }

    /** Consumes all of {@code in} and returns the frames it completed (possibly none). */
    public List<Frame> decode(ByteBuffer in) {
        List<Frame> out = new ArrayList<>(1);
        while (in.hasRemaining()) {
            if (payload == null) {
                int n = Math.min(in.remaining(), header.length - headerFill);
                in.get(header, headerFill, n);
                headerFill += n;
                if (headerFill < header.length) break;
                byte type = header[0];
                long length = ByteBuffer.wrap(header, 1, 4).getInt() & 0xffffffffL;
                if (!Frame.known(type)) throw new ProtocolException("unknown frame type " + (type & 0xff));
                if (length > maxPayload) {
                    throw new ProtocolException(Frame.name(type) + " frame of " + length + " bytes exceeds the limit of " + maxPayload);
                }
                payload = new byte[(int) length];
                payloadFill = 0;
            }
            int n = Math.min(in.remaining(), payload.length - payloadFill);
            in.get(payload, payloadFill, n);
            payloadFill += n;
            if (payloadFill == payload.length) {
                out.add(new Frame(header[0], payload));
                payload = null;
                headerFill = 0;
            }
        }
        return out;
    }

    /** True when no partial frame is buffered (a clean place for the stream to end). */
    public boolean isIdle() { return payload == null && headerFill == 0; }

    /** Encodes a frame header for {@code payloadLength} bytes of {@code type}. */
    public static byte[] header(byte type, int payloadLength) {
        return ByteBuffer.allocate(Frame.HEADER_BYTES).put(type).putInt(payloadLength).array();
    }
}

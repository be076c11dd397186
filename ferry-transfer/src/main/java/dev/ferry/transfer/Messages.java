package dev.ferry.transfer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Payloads of the frames, big-endian, each parsed strictly: a payload with bytes missing or left
 * over is a {@link ProtocolException}. The conversation:
 *
 * <pre>
 * sender                                   receiver
 * HELLO(magic, version, token, size, window) ->
 *                                          <- STATE(window offset, chunk digest)*   what the journal holds
 *                                          <- STATE_END
 * CHUNK(window, ranges, codec, raw length, CRC32C, data) ->   (many, without waiting)
 *                                          <- ACK(window, OK | BAD_CHECKSUM)       (as each is verified)
 * FINISH(image digest)                     ->
 *                                          <- PROGRESS(bytes digested)*            keep-alive while verifying/converting
 *                                          <- RESULT(status, receiver's image digest, message)
 * either side: ERROR(message), then close
 * </pre>
 */
final class Messages {
    static final int MAGIC = 0x46525259; // "FRRY"
    static final short VERSION = 1;
    static final int DIGEST_BYTES = 32;
    /** A chunk's checksum: CRC32C (big-endian) of its range list and uncompressed data. */
    static final int CHECKSUM_BYTES = 4;
    static final int MAX_TOKEN = 256;
    static final int MAX_RANGES = 4096;
    static final int STATE_ENTRIES_PER_FRAME = 65536;

    static final byte ACK_OK = 0;
    static final byte ACK_BAD_CHECKSUM = 1;

    static final byte RESULT_MATCH = 0;
    static final byte RESULT_MISMATCH = 1;
    static final byte RESULT_FAILED = 2;

    static final byte CODEC_NONE = 0;
    static final byte CODEC_ZSTD = 1;

    private Messages() {}

    record Hello(String token, long virtualSize, int windowSize) {}

    record StateEntry(long windowOffset, byte[] digest) {}

    /** A range of a chunk, relative to the start of its window. */
    record Range(int offset, int length) {}

    /** The fixed part of a CHUNK; the data follows it in the same payload. */
    record ChunkHeader(long windowOffset, List<Range> ranges, byte codec, int rawLength, byte[] checksum, int headerBytes) {}

    record Ack(long windowOffset, byte status) {}

    record Result(byte status, byte[] digest, String message) {}

    static byte[] hello(Hello h) {
        byte[] token = h.token().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 2 + 2 + token.length + 8 + 4).putInt(MAGIC).putShort(VERSION)
                .putShort((short) token.length).put(token).putLong(h.virtualSize()).putInt(h.windowSize()).array();
    }

    static Hello hello(byte[] p) {
        return parse(p, b -> {
            if (b.getInt() != MAGIC) throw new ProtocolException("not a Ferry disk transfer (bad magic)");
            short version = b.getShort();
            if (version != VERSION) throw new ProtocolException("protocol version " + version + " is not " + VERSION);
            int tokenLength = b.getShort() & 0xffff;
            if (tokenLength > MAX_TOKEN) throw new ProtocolException("token too long");
            byte[] token = new byte[tokenLength];
            b.get(token);
            long size = b.getLong();
            int window = b.getInt();
            if (size < 0) throw new ProtocolException("negative image size");
            if (window < (64 << 10) || window > (8 << 20) || Integer.bitCount(window) != 1) {
                throw new ProtocolException("window size " + window + " is not a power of two between 64 KiB and 8 MiB");
            }
            return new Hello(new String(token, StandardCharsets.UTF_8), size, window);
        });
    }

    static byte[] state(List<StateEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(4 + entries.size() * (8 + CHECKSUM_BYTES)).putInt(entries.size());
        for (StateEntry e : entries) b.putLong(e.windowOffset()).put(e.digest());
        return b.array();
    }

    static List<StateEntry> state(byte[] p) {
        return parse(p, b -> {
            int n = b.getInt();
            if (n < 0 || n > STATE_ENTRIES_PER_FRAME) throw new ProtocolException("STATE with " + n + " entries");
            List<StateEntry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long off = b.getLong();
                byte[] d = new byte[CHECKSUM_BYTES];
                b.get(d);
                out.add(new StateEntry(off, d));
            }
            return out;
        });
    }

    static byte[] chunkHeader(long windowOffset, List<Range> ranges, byte codec, int rawLength, byte[] checksum) {
        ByteBuffer b = ByteBuffer.allocate(chunkHeaderBytes(ranges.size())).putLong(windowOffset).putShort((short) ranges.size());
        for (Range r : ranges) b.putInt(r.offset()).putInt(r.length());
        return b.put(codec).putInt(rawLength).put(checksum).array();
    }

    static int chunkHeaderBytes(int ranges) { return 8 + 2 + ranges * 8 + 1 + 4 + CHECKSUM_BYTES; }

    /** A chunk's checksum: CRC32C over its range list and its uncompressed data (a damaged range list fails it too). */
    static byte[] checksum(long windowOffset, List<Range> ranges, byte[] data, int off, int len) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(rangeBytes(windowOffset, ranges));
        c.update(data, off, len);
        return ByteBuffer.allocate(CHECKSUM_BYTES).putInt((int) c.getValue()).array();
    }

    /** The ranges as they are checksummed together with the data. */
    static byte[] rangeBytes(long windowOffset, List<Range> ranges) {
        ByteBuffer b = ByteBuffer.allocate(8 + ranges.size() * 8).putLong(windowOffset);
        for (Range r : ranges) b.putInt(r.offset()).putInt(r.length());
        return b.array();
    }

    /** Parses the header of a CHUNK payload and checks the ranges are sorted, disjoint and inside a window. */
    static ChunkHeader chunkHeader(byte[] p, int windowSize) {
        try {
            ByteBuffer b = ByteBuffer.wrap(p);
            long windowOffset = b.getLong();
            int n = b.getShort() & 0xffff;
            if (n == 0 || n > MAX_RANGES) throw new ProtocolException("CHUNK with " + n + " ranges");
            List<Range> ranges = new ArrayList<>(n);
            long end = 0;
            long total = 0;
            for (int i = 0; i < n; i++) {
                int off = b.getInt();
                int len = b.getInt();
                if (off < end || len <= 0 || (long) off + len > windowSize) {
                    throw new ProtocolException("CHUNK ranges are not sorted, disjoint and inside the window");
                }
                end = (long) off + len;
                total += len;
                ranges.add(new Range(off, len));
            }
            byte codec = b.get();
            int raw = b.getInt();
            if (codec != CODEC_NONE && codec != CODEC_ZSTD) throw new ProtocolException("unknown codec " + codec);
            if (raw != total) throw new ProtocolException("CHUNK raw length " + raw + " is not the sum of its ranges " + total);
            byte[] sum = new byte[CHECKSUM_BYTES];
            b.get(sum);
            if (windowOffset < 0 || windowOffset % windowSize != 0) throw new ProtocolException("CHUNK window offset not aligned");
            return new ChunkHeader(windowOffset, List.copyOf(ranges), codec, raw, sum, b.position());
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("CHUNK payload is truncated");
        }
    }

    static byte[] ack(long windowOffset, byte status) { return ByteBuffer.allocate(9).putLong(windowOffset).put(status).array(); }

    static Ack ack(byte[] p) { return parse(p, b -> new Ack(b.getLong(), b.get())); }

    static byte[] finish(byte[] digest) { return digest.clone(); }

    static byte[] finishDigest(byte[] p) {
        if (p.length != DIGEST_BYTES) throw new ProtocolException("FINISH carries " + p.length + " bytes, not a digest");
        return p.clone();
    }

    static byte[] result(Result r) {
        byte[] m = r.message().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + DIGEST_BYTES + m.length).put(r.status()).put(r.digest()).put(m).array();
    }

    static Result result(byte[] p) {
        if (p.length < 1 + DIGEST_BYTES) throw new ProtocolException("RESULT is truncated");
        return new Result(p[0], Arrays.copyOfRange(p, 1, 1 + DIGEST_BYTES),
                new String(p, 1 + DIGEST_BYTES, p.length - 1 - DIGEST_BYTES, StandardCharsets.UTF_8));
    }

    static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length > 4096 ? Arrays.copyOf(b, 4096) : b;
    }

    static String text(byte[] p) { return new String(p, StandardCharsets.UTF_8); }

    static byte[] progress(long value) { return ByteBuffer.allocate(8).putLong(value).array(); }

    private interface Parser<T> {
        T parse(ByteBuffer b);
    }

    private static <T> T parse(byte[] p, Parser<T> parser) {
        ByteBuffer b = ByteBuffer.wrap(p);
        T t;
        try {
            t = parser.parse(b);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("message is truncated");
        }
        if (b.hasRemaining()) throw new ProtocolException("message has " + b.remaining() + " bytes too many");
        return t;
    }
}

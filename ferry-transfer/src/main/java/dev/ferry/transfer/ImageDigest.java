package dev.ferry.transfer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The whole-image digest both ends compute over the image's logical contents, independently of how
 * it is stored: SHA-256 over a fixed prefix, the virtual size, and the SHA-256 of every 64 KiB
 * block of the guest-visible bytes in order (the last block may be shorter). A hole and written
 * zeros give the same digest, and a block of zeros costs a constant, not 64 KiB of hashing, so
 * sparse images are digested at the speed of their data.
 *
 * <p>Feed data ranges in increasing, non-overlapping order with {@link #update}; everything not
 * fed is zeros. {@link #finish} returns the digest.
 */
public final class ImageDigest {
    public static final int BLOCK = 64 << 10;
    private static final byte[] ZEROS = new byte[BLOCK];
    private static final byte[] ZERO_BLOCK_HASH = sha256().digest(ZEROS);

    private final long size;
    private final MessageDigest outer = sha256();
    private final MessageDigest block = sha256();
    private long pos;
    private int blockFill;

    public ImageDigest(long virtualSize) {
        this.size = virtualSize;
        outer.update("ferry-image-sha256-64k\0".getBytes(StandardCharsets.US_ASCII));
        outer.update(ByteBuffer.allocate(8).putLong(virtualSize).array());
    }

    /** Data at logical {@code offset} (at or after everything fed so far). */
    public void update(long offset, byte[] data, int off, int len) {
        if (offset < pos) throw new IllegalArgumentException("data at " + offset + " is before " + pos);
        if (offset + len > size) throw new IllegalArgumentException("data beyond the image size");
        zerosUntil(offset);
        while (len > 0) {
            int n = (int) Math.min(len, blockLength(pos / BLOCK) - blockFill);
            block.update(data, off, n);
            advance(n);
            off += n;
            len -= n;
        }
    }

    /** The digest (the rest of the image counts as zeros); the object is used up. */
    public byte[] finish() {
        zerosUntil(size);
        return outer.digest();
    }

    public static String hex(byte[] digest) { return HexFormat.of().formatHex(digest); }

    /** Logical bytes covered so far. */
    public long position() { return pos; }

    private void zerosUntil(long offset) {
        while (pos < offset) {
            long blockIndex = pos / BLOCK;
            int len = blockLength(blockIndex);
            if (blockFill == 0 && offset - pos >= len && len == BLOCK) {
                outer.update(ZERO_BLOCK_HASH);
                pos += len;
                continue;
            }
            int n = (int) Math.min(offset - pos, len - blockFill);
            block.update(ZEROS, 0, n);
            advance(n);
        }
    }

    private void advance(int n) {
        pos += n;
        blockFill += n;
        if (blockFill == blockLength((pos - 1) / BLOCK)) {
            outer.update(block.digest());
            blockFill = 0;
        }
    }

    private int blockLength(long index) { return (int) Math.min(BLOCK, size - index * BLOCK); }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

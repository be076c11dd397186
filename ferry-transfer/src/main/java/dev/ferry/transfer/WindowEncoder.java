package dev.ferry.transfer;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one window of the source into a chunk: reads its data pieces, drops every 4 KiB block that
 * is all zeros (so allocated zeros are not sent either), joins the rest into sorted ranges,
 * feeds them to the image digest, checksums ranges and data (CRC32C) and optionally compresses.
 */
final class WindowEncoder {
    static final int ZERO_BLOCK = 4096;

    record Chunk(long windowOffset, List<Messages.Range> ranges, byte[] data, int rawLength, byte[] checksum, byte codec,
                 byte[] encoded) {
        boolean isEmpty() { return ranges.isEmpty(); }
    }

    private final SourceImage source;
    private final boolean compress;
    private final byte[] window;
    private final byte[] data;

    WindowEncoder(SourceImage source, boolean compress) {
        this.source = source;
        this.compress = compress;
        this.window = new byte[source.windowSize()];
        this.data = new byte[source.windowSize()];
    }

    /** Encodes window {@code offset}; {@code digest} (if not null) is fed the window's data. */
    Chunk encode(long offset, ImageDigest digest) throws IOException {
        List<SourceImage.Piece> pieces = source.readWindow(offset, window);
        List<Messages.Range> ranges = new ArrayList<>();
        int fill = 0;
        int runStart = -1;
        int runEnd = -1;
        for (SourceImage.Piece p : pieces) {
            int rel = (int) (p.start() - offset);
            int end = rel + p.length();
            for (int b = rel; b < end; ) {
                int blockEnd = Math.min(end, (b / ZERO_BLOCK + 1) * ZERO_BLOCK);
                if (!isZero(window, b, blockEnd)) {
                    if (runEnd == b) {
                        runEnd = blockEnd;
                    } else {
                        if (runStart >= 0) fill = addRange(ranges, runStart, runEnd, fill, offset, digest);
                        runStart = b;
                        runEnd = blockEnd;
                    }
                }
                b = blockEnd;
            }
        }
        if (runStart >= 0) fill = addRange(ranges, runStart, runEnd, fill, offset, digest);
        if (ranges.isEmpty()) return new Chunk(offset, List.of(), new byte[0], 0, null, Messages.CODEC_NONE, new byte[0]);
        byte[] checksum = Messages.checksum(offset, ranges, data, 0, fill);
        byte[] raw = Arrays.copyOf(data, fill);
        byte codec = Messages.CODEC_NONE;
        byte[] encoded = raw;
        if (compress) {
            byte[] z = Zstd.compress(raw, 1);
            if (z.length < raw.length) {
                codec = Messages.CODEC_ZSTD;
                encoded = z;
            }
        }
        return new Chunk(offset, List.copyOf(ranges), raw, fill, checksum, codec, encoded);
    }

    private int addRange(List<Messages.Range> ranges, int start, int end, int fill, long offset, ImageDigest digest) {
        System.arraycopy(window, start, data, fill, end - start);
        if (digest != null) digest.update(offset + start, window, start, end - start);
        ranges.add(new Messages.Range(start, end - start));
        return fill + end - start;
    }

    static boolean isZero(byte[] b, int from, int to) {
        return Arrays.mismatch(b, from, to, ZEROS, 0, to - from) < 0;
    }

    private static final byte[] ZEROS = new byte[ZERO_BLOCK];
}

package dev.ferry.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The receiver's record of chunks that are durably in the partial image: an append-only file of
 * fixed records {@code u64 window offset | u32 chunk checksum | u32 CRC32C of both}, after a
 * header naming the image size and window size. A chunk is appended only after the image file was
 * synced with its data ({@link #commit}), so after a crash or a cut connection every journaled
 * chunk really is on disk; a torn last record fails its CRC and is dropped when the journal is
 * opened again.
 */
final class ReceiveJournal implements AutoCloseable {
    private static final int MAGIC = 0x464a524e; // "FJRN"
    private static final int HEADER = 4 + 4 + 8 + 4 + 4;
    private static final int RECORD = 8 + Messages.CHECKSUM_BYTES + 4;

    private final FileChannel ch;
    private final long virtualSize;
    private final int windowSize;
    private final Map<Long, byte[]> done = Collections.synchronizedMap(new LinkedHashMap<>());

    private ReceiveJournal(FileChannel ch, long virtualSize, int windowSize) {
        this.ch = ch;
        this.virtualSize = virtualSize;
        this.windowSize = windowSize;
    }

    /**
     * Opens the journal for an image of {@code virtualSize} in windows of {@code windowSize}. A
     * journal of another size or window size (a different source) is started afresh, and so is the
     * partial image, by the caller, when {@link #isFresh()}.
     */
    static ReceiveJournal open(Path file, long virtualSize, int windowSize) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ReceiveJournal j = new ReceiveJournal(ch, virtualSize, windowSize);
        if (!j.load()) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(1).putLong(virtualSize).putInt(windowSize).putInt(0).flip(), 0);
            ch.force(true);
        }
        return j;
    }

    private boolean load() throws IOException {
        long size = ch.size();
        if (size < HEADER) return false;
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        ch.read(h, 0);
        h.flip();
        if (h.getInt() != MAGIC || h.getInt() != 1 || h.getLong() != virtualSize || h.getInt() != windowSize) return false;
        long pos = HEADER;
        ByteBuffer r = ByteBuffer.allocate(RECORD);
        while (pos + RECORD <= size) {
            r.clear();
            ch.read(r, pos);
            r.flip();
            long offset = r.getLong();
            byte[] digest = new byte[Messages.CHECKSUM_BYTES];
            r.get(digest);
            int crc = r.getInt();
            if (crc != crc(offset, digest)) break;
            done.put(offset, digest);
            pos += RECORD;
        }
        ch.truncate(pos);
        return true;
    }

    /** True when nothing was journaled yet. */
    boolean isFresh() { return done.isEmpty(); }

    /** The journaled chunks: window offset to chunk checksum. */
    List<Messages.StateEntry> entries() {
        synchronized (done) {
            List<Messages.StateEntry> out = new ArrayList<>(done.size());
            done.forEach((k, v) -> out.add(new Messages.StateEntry(k, v)));
            return out;
        }
    }

    int size() { return done.size(); }

    /** Appends chunks whose data the caller has already synced to the image file, then syncs the journal. */
    void commit(List<Messages.StateEntry> synced) throws IOException {
        if (synced.isEmpty()) return;
        ByteBuffer b = ByteBuffer.allocate(RECORD * synced.size());
        for (Messages.StateEntry e : synced) b.putLong(e.windowOffset()).put(e.digest()).putInt(crc(e.windowOffset(), e.digest()));
        b.flip();
        long pos = ch.size();
        while (b.hasRemaining()) pos += ch.write(b, pos);
        ch.force(false);
        for (Messages.StateEntry e : synced) done.put(e.windowOffset(), e.digest());
    }

    private static int crc(long offset, byte[] digest) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(8).putLong(offset).flip());
        c.update(digest);
        return (int) c.getValue();
    }

    @Override
    public void close() throws IOException { ch.close(); }

    static void delete(Path file) throws IOException { Files.deleteIfExists(file); }
}

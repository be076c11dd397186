package dev.ferry.qemu.img;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The parts of a qcow2 header that decide which other files QEMU would open, read by Ferry itself
 * (fixed offsets, big-endian, see QEMU's docs/interop/qcow2.txt) so that an untrusted image is
 * judged before {@code qemu-img} or QEMU ever opens it. Only the first cluster is read; everything
 * is bounds-checked, and anything this parser does not understand is refused rather than guessed.
 *
 * @param version           2 or 3
 * @param virtualSize       guest-visible size in bytes
 * @param clusterBits       log2 of the cluster size (9..21)
 * @param backingFile       the backing file name as stored, or null
 * @param backingFormat     the backing format header extension, or null
 * @param dataFile          the external data file header extension, or null
 * @param externalData      incompatible feature bit 2 (external data file) is set
 * @param encrypted         crypt_method is not 0, or a full-disk-encryption extension exists
 * @param unknownIncompatible incompatible feature bits this parser does not know (bits 5..63)
 * @param corrupt           incompatible feature bit 1 (QEMU marked the image corrupt)
 */
public record Qcow2Header(int version, long virtualSize, int clusterBits, String backingFile, String backingFormat,
                          String dataFile, boolean externalData, boolean encrypted, long unknownIncompatible,
                          boolean corrupt) {

    public static final int MAGIC = 0x514649fb; // "QFI\xfb"
    private static final int EXT_END = 0;
    private static final int EXT_BACKING_FORMAT = 0xe2792aca;
    private static final int EXT_DATA_FILE = 0x44415441;
    private static final int EXT_FULL_DISK_ENCRYPTION = 0x0537be77;
    private static final int MAX_EXTENSIONS = 64;
    /** QEMU's own limit on the backing file name. */
    private static final int MAX_BACKING_NAME = 1023;
    private static final int KNOWN_INCOMPATIBLE = 0b11111; // dirty, corrupt, external data, compression type, extended L2

    /** True when the file starts with the qcow2 magic (whatever it is declared as). */
    public static boolean hasMagic(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && ch.read(b) > 0) { /* fill */ }
            return !b.hasRemaining() && b.flip().getInt() == MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads and checks the header of {@code file}; a file that is not a well-formed qcow2 is refused. */
    public static Qcow2Header read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(fileSize, 1 << 21)).order(ByteOrder.BIG_ENDIAN);
            while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
            first.flip();
            return parse(first, file.toString());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a header from the start of an image (at least its first cluster, or the whole file if smaller). */
    static Qcow2Header parse(ByteBuffer b, String what) {
        if (b.limit() < 72) throw bad(what, "shorter than a qcow2 header");
        if (b.getInt(0) != MAGIC) throw bad(what, "has no qcow2 magic");
        int version = b.getInt(4);
        if (version != 2 && version != 3) throw bad(what, "has qcow2 version " + version + " (only 2 and 3 are known)");
        long backingOffset = b.getLong(8);
        int backingSize = b.getInt(16);
        int clusterBits = b.getInt(20);
        long size = b.getLong(24);
        int cryptMethod = b.getInt(32);
        if (clusterBits < 9 || clusterBits > 21) throw bad(what, "has an invalid cluster size (2^" + clusterBits + ")");
        int clusterSize = 1 << clusterBits;
        long incompatible = 0;
        int headerLength = 72;
        if (version == 3) {
            if (b.limit() < 104) throw bad(what, "is shorter than a qcow2 v3 header");
            incompatible = b.getLong(72);
            headerLength = b.getInt(100);
            if (headerLength < 104 || headerLength > clusterSize) throw bad(what, "has an invalid header length " + headerLength);
        }
        boolean encrypted = cryptMethod != 0;
        String backingFormat = null;
        String dataFile = null;
        // Header extensions follow the header, 8-byte aligned, until the end marker; all in the first cluster.
        int pos = align8(headerLength);
        for (int n = 0; n < MAX_EXTENSIONS; n++) {
            if (pos + 8 > Math.min(b.limit(), clusterSize)) break; // v2 images may end the extension area at the cluster end
            int type = b.getInt(pos);
            long len = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (type == EXT_END) break;
            if (pos + 8 + len > Math.min(b.limit(), clusterSize)) throw bad(what, "has a header extension that runs past the first cluster");
            byte[] data = new byte[(int) len];
            b.get(pos + 8, data);
            switch (type) {
                case EXT_BACKING_FORMAT -> backingFormat = text(data, what, "backing format");
                case EXT_DATA_FILE -> dataFile = text(data, what, "data file name");
                case EXT_FULL_DISK_ENCRYPTION -> encrypted = true;
                default -> { /* feature table, bitmaps and others name no files */ }
            }
            pos = (int) (pos + 8 + align8(len));
        }
        String backing = null;
        if (backingOffset != 0) {
            if (backingSize < 0 || backingSize > MAX_BACKING_NAME) throw bad(what, "has a backing file name longer than 1023 bytes");
            if (backingOffset < 0 || backingOffset + backingSize > Math.min(b.limit(), clusterSize)) {
                throw bad(what, "has a backing file name outside its first cluster");
            }
            byte[] name = new byte[backingSize];
            b.get((int) backingOffset, name);
            backing = text(name, what, "backing file name");
            if (backing.isEmpty()) backing = null;
        }
        return new Qcow2Header(version, size, clusterBits, backing, backingFormat, dataFile,
                (incompatible & 0b100) != 0, encrypted, incompatible & ~(long) KNOWN_INCOMPATIBLE, (incompatible & 0b10) != 0);
    }

    private static String text(byte[] data, String what, String field) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            for (int i = 0; i < s.length(); i++) {
                if (Character.isISOControl(s.charAt(i))) throw bad(what, "has a control character in its " + field);
            }
            return s;
        } catch (CharacterCodingException e) {
            throw bad(what, "has a " + field + " that is not UTF-8");
        }
    }

    private static int align8(long n) { return (int) ((n + 7) & ~7L); }

    private static FerryException bad(String what, String why) {
        return new FerryException(ErrorCode.UNSAFE_IMAGE, what + " is declared qcow2 but " + why);
    }
}

package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small, strict reader of POSIX ustar archives, which is what the OVF standard requires an OVA to
 * be. It exists instead of a general tar library so that the refusals are ours: only regular
 * files with flat names are accepted; links, directories, devices, PAX/GNU extension headers,
 * absolute names and {@code ..} are refused, header checksums are verified, and entry sizes can
 * never exceed what the archive actually holds.
 */
final class UstarReader {
    static final int BLOCK = 512;
    static final int MAX_ENTRIES = 1000;

    record Entry(String name, long size) {}

    private final InputStream in;
    private final String archive;
    private long remainingInEntry;
    private long padding;
    private int count;

    UstarReader(InputStream in, String archive) {
        this.in = in;
        this.archive = archive;
    }

    /** The next entry's header, or null at the end of the archive; skips what is left of the previous entry. */
    Entry next() throws IOException {
        skip(remainingInEntry + padding);
        remainingInEntry = 0;
        padding = 0;
        byte[] h = in.readNBytes(BLOCK);
        if (h.length == 0 || isZero(h)) return null;
        if (h.length < BLOCK) throw bad("ends inside a header");
        if (++count > MAX_ENTRIES) throw bad("has more than " + MAX_ENTRIES + " entries");
        checkChecksum(h);
        String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
        if (!magic.equals("ustar")) throw bad("is not a ustar archive (OVA files must be ustar tar files)");
        String name = string(h, 0, 100);
        String prefix = string(h, 345, 155);
        if (!prefix.isEmpty()) name = prefix + "/" + name;
        char type = (char) h[156];
        checkType(type, name);
        checkName(name);
        long size = size(h);
        remainingInEntry = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        return new Entry(name, size);
    }

    /** Reads from the current entry's data; -1 at its end. */
    int read(byte[] buf) throws IOException {
        if (remainingInEntry == 0) return -1;
        int n = in.read(buf, 0, (int) Math.min(buf.length, remainingInEntry));
        if (n < 0) throw bad("ends inside an entry");
        remainingInEntry -= n;
        return n;
    }

    private void checkType(char type, String name) {
        switch (type) {
            case '0', '\0' -> { }
            case '1', '2' -> throw unsafe("entry '" + name + "' is a " + (type == '1' ? "hard" : "symbolic") + " link; links are refused");
            case '5' -> throw bad("has a directory entry '" + name + "'; an OVA holds only files");
            case 'x', 'g', 'L', 'K' -> throw bad("uses PAX/GNU extension headers (entry '" + name + "'); write the OVA as plain ustar");
            default -> throw unsafe("entry '" + name + "' is of type '" + type + "' (device, FIFO or unknown); only regular files are accepted");
        }
    }

    private void checkName(String name) {
        if (name.isEmpty()) throw bad("has an entry without a name");
        if (name.startsWith("/")) throw unsafe("entry '" + name + "' has an absolute name");
        for (String part : name.split("/")) {
            if (part.equals("..")) throw unsafe("entry '" + name + "' climbs out of the archive with '..'");
        }
        if (name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0 || name.equals(".")) {
            throw unsafe("entry '" + name + "' is not a plain file name; an OVA holds its files at the top level");
        }
    }

    private long size(byte[] h) {
        if ((h[124] & 0x80) != 0) throw bad("uses a base-256 size field; entries above 8 GiB need PAX, which Ferry does not read");
        String s = string(h, 124, 12).trim();
        try {
            long size = s.isEmpty() ? 0 : Long.parseLong(s, 8);
            if (size < 0) throw bad("has a negative entry size");
            return size;
        } catch (NumberFormatException e) {
            throw bad("has an unreadable entry size '" + s + "'");
        }
    }

    private void checkChecksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        String stored = string(h, 148, 8).trim();
        try {
            if (Long.parseLong(stored, 8) != sum) throw bad("has a corrupt header (checksum mismatch)");
        } catch (NumberFormatException e) {
            throw bad("has a corrupt header (checksum '" + stored + "')");
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException(archive + " is truncated");
                s = 1;
            }
            n -= s;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private FerryException bad(String what) { return new FerryException(ErrorCode.INVALID_SOURCE, archive + " " + what); }

    private FerryException unsafe(String what) { return new FerryException(ErrorCode.UNSAFE_IMAGE, archive + ": " + what); }
}

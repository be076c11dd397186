package dev.ferry.imports.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX ustar archive of flat file names, which is the container the OVF standard
 * prescribes for an OVA (and what our own {@code UstarReader} accepts back). Sizes up to 8 GiB fit
 * the octal size field; larger disks are refused rather than written in a non-standard way.
 */
final class UstarWriter implements AutoCloseable {
    private static final long MAX_SIZE = 077777777777L;
    private final OutputStream out;

    UstarWriter(OutputStream out) { this.out = out; }

    void add(String name, Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_SIZE) throw new IOException(name + " is larger than 8 GiB, which plain ustar cannot hold");
        if (name.length() > 99 || name.contains("/")) throw new IOException("OVA member name '" + name + "' must be flat and under 100 bytes");
        out.write(header(name, size));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
        int pad = (int) ((512 - size % 512) % 512);
        out.write(new byte[pad]);
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", System.currentTimeMillis() / 1000));
        h[156] = '0';
        put(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        put(h, 265, "ferry");
        put(h, 297, "ferry");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.close();
    }
}

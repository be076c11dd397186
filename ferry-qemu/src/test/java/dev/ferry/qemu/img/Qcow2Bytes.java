package dev.ferry.qemu.img;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the first cluster of a qcow2 v3 image by hand (no tables), enough for a header parser and
 * exactly what an attacker controls: the backing name, the backing format and data file extensions.
 */
public final class Qcow2Bytes {
    private Qcow2Bytes() {}

    public static byte[] header(long virtualSize, String backing, String backingFormat, String dataFile) {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.putInt(0, Qcow2Header.MAGIC).putInt(4, 3);
        b.putInt(20, 16).putLong(24, virtualSize);
        if (dataFile != null) b.putLong(72, 0b100);
        b.putInt(96, 4).putInt(100, 104);
        int pos = 104;
        if (backingFormat != null) pos = extension(b, pos, 0xe2792aca, backingFormat);
        if (dataFile != null) pos = extension(b, pos, 0x44415441, dataFile);
        b.putInt(pos, 0).putInt(pos + 4, 0);
        pos += 8;
        if (backing != null) {
            byte[] name = backing.getBytes(StandardCharsets.UTF_8);
            b.putLong(8, pos).putInt(16, name.length);
            b.put(pos, name);
        }
        return b.array();
    }

    private static int extension(ByteBuffer b, int pos, int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        b.putInt(pos, type).putInt(pos + 4, v.length).put(pos + 8, v);
        return pos + 8 + ((v.length + 7) & ~7);
    }
}

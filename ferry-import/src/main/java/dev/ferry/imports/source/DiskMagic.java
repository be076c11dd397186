package dev.ferry.imports.source;

import dev.ferry.imports.safety.BoundedFiles;
import dev.ferry.qemu.img.ImageFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Tells an image's format from its magic bytes, the way Ferry decides a format itself instead of
 * letting QEMU probe: the result is then passed explicitly to qemu-img, which fails if the file
 * is not really of that format. Anything without a known signature is raw.
 */
public final class DiskMagic {
    private DiskMagic() {}

    public static ImageFormat detect(Path file) {
        byte[] h = BoundedFiles.head(file, 512);
        String ascii = new String(h, StandardCharsets.ISO_8859_1);
        if (ascii.startsWith("QFI\u00fb")) return ImageFormat.QCOW2;
        if (ascii.startsWith("KDMV") || ascii.startsWith("COWD") || ascii.startsWith("# Disk DescriptorFile")) return ImageFormat.VMDK;
        if (ascii.startsWith("vhdxfile")) return ImageFormat.VHDX;
        if (ascii.startsWith("conectix")) return ImageFormat.VPC;
        if (h.length >= 68 && (h[64] & 0xff) == 0x7f && (h[65] & 0xff) == 0x10 && (h[66] & 0xff) == 0xda && (h[67] & 0xff) == 0xbe) {
            return ImageFormat.VDI;
        }
        if (footerIsVpc(file)) return ImageFormat.VPC;
        return ImageFormat.RAW;
    }

    /** A fixed VHD has its "conectix" footer only in the last 512 bytes. */
    private static boolean footerIsVpc(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 512) return false;
            f.seek(f.length() - 512);
            byte[] b = new byte[8];
            f.readFully(b);
            return new String(b, StandardCharsets.ISO_8859_1).equals("conectix");
        } catch (IOException e) {
            return false;
        }
    }
}

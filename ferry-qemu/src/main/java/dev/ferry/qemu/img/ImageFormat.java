package dev.ferry.qemu.img;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import java.util.Locale;

/**
 * Every image format Ferry hands to {@code qemu-img}, by QEMU's driver name. It exists beside
 * {@link DiskFormat} because imports and exports read and write formats (vmdk, vdi, vhdx, vpc) that a
 * running VM must never use: VMs stay on raw or qcow2, while qemu-img converts from and to these.
 * The format is always passed explicitly ({@code -f}/{@code -O}); nothing is probed.
 */
public enum ImageFormat {
    RAW("raw"), QCOW2("qcow2"), VMDK("vmdk"), VDI("vdi"), VHDX("vhdx"), VPC("vpc");

    private final String driver;

    ImageFormat(String driver) { this.driver = driver; }

    /** QEMU's block driver name, what {@code -f} and {@code -O} take. */
    public String driver() { return driver; }

    public static ImageFormat of(DiskFormat f) { return f == DiskFormat.QCOW2 ? QCOW2 : RAW; }

    /** The VM disk format this is, if a VM may use it directly. */
    public DiskFormat asDiskFormat() {
        return switch (this) {
            case RAW -> DiskFormat.RAW;
            case QCOW2 -> DiskFormat.QCOW2;
            default -> throw new FerryException(ErrorCode.UNKNOWN_FORMAT, driver + " images must be converted before a VM uses them");
        };
    }

    public static ImageFormat parse(String name) {
        if (name != null) {
            for (ImageFormat f : values()) {
                if (f.driver.equals(name.trim().toLowerCase(Locale.ROOT))) return f;
            }
        }
        throw new FerryException(ErrorCode.UNKNOWN_FORMAT, "image format '" + name + "' is not one of raw, qcow2, vmdk, vdi, vhdx, vpc");
    }
}

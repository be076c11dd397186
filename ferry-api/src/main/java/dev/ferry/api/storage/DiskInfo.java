package dev.ferry.api.storage;

import dev.ferry.api.spec.DiskFormat;

/**
 * One disk of a VM as its host sees the image: where it lives, in which pool, its format and sizes.
 *
 * @param virtualSize the size the guest sees, in bytes
 * @param actualSize  bytes the image occupies on the host (allocated blocks), as {@code qemu-img info} reports
 * @param pool        the name of the storage pool holding the image, null if none does
 * @param backingFile the qcow2 backing file (a linked clone's base), null if none
 */
public record DiskInfo(String id, String path, DiskFormat format, long virtualSize, long actualSize, String pool,
                       String backingFile) {}

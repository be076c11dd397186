package dev.ferry.api.migration;

import dev.ferry.api.spec.DiskFormat;

/**
 * How a live migration copies disks that are not on storage both hosts share (they are mirrored to
 * new images on the destination while the VM runs). Whether the source images are kept afterwards
 * is the request's {@code keepSource}.
 *
 * @param targetPool the destination pool for the copies; null picks the destination pool with the most free space
 * @param diskFormat the copies' format; null keeps each disk's format
 */
public record StorageOptions(String targetPool, DiskFormat diskFormat) {
    public static final StorageOptions DEFAULT = new StorageOptions(null, null);
}

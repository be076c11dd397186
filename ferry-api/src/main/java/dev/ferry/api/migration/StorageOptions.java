package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ferry.api.spec.DiskFormat;

/**
 * How a live (or warm) migration copies disks that are not on storage both hosts share: they are
 * mirrored to new images on the destination while the VM runs.
 *
 * @param targetPool the destination pool for the copies; null picks the destination pool with the most free space
 * @param diskFormat the copies' format; null keeps each disk's format
 * @param keepSource true keeps the source images after a successful migration (by default they are deleted)
 */
public record StorageOptions(String targetPool, DiskFormat diskFormat, Boolean keepSource) {
    public static final StorageOptions DEFAULT = new StorageOptions(null, null, null);

    @JsonIgnore
    public boolean isKeepSource() { return Boolean.TRUE.equals(keepSource); }
}

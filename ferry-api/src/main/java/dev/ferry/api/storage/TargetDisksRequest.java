package dev.ferry.api.storage;

import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.VmSpec;
import java.util.Map;

/**
 * Asks a migration destination to create empty target images for the disks it will receive, before
 * its QEMU starts: one image per entry of {@code sizes} (disk id to virtual size in bytes), in pool
 * {@code pool}, in {@code format} (null keeps each disk's format). The destination answers with the
 * VM's spec rewritten to the new paths and formats; its QEMU is then started with that spec.
 */
public record TargetDisksRequest(String migrationId, VmSpec spec, String pool, DiskFormat format, Map<String, Long> sizes) {
    public TargetDisksRequest {
        sizes = sizes == null ? Map.of() : Map.copyOf(sizes);
    }
}

package dev.ferry.controller.migration.storage;

import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.storage.DiskInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a live migration with local disks copies and what it has done so far, so each storage
 * phase's cleanup knows exactly what to undo: the source disks that are not on shared storage (they
 * are mirrored), the destination pool and format for their copies, the target images the
 * destination created, and whether the NBD export and the mirror jobs were started.
 */
public final class StoragePlan {
    private final List<DiskInfo> disks;
    private final String pool;
    private final DiskFormat format;
    private final boolean keepSource;
    private final List<String> createdTargets = new ArrayList<>();
    private boolean exported;
    private boolean mirrorStarted;
    private boolean mirrorFinished;

    public StoragePlan(List<DiskInfo> disks, String pool, DiskFormat format, boolean keepSource) {
        this.disks = List.copyOf(disks);
        this.pool = pool;
        this.format = format;
        this.keepSource = keepSource;
    }

    /** The source disks to copy (those not on a pool both hosts share). */
    public List<DiskInfo> disks() { return disks; }

    public List<String> diskIds() { return disks.stream().map(DiskInfo::id).toList(); }

    /** Disk id to virtual size, bytes: what the destination's target images need. */
    public Map<String, Long> sizes() {
        Map<String, Long> m = new LinkedHashMap<>();
        disks.forEach(d -> m.put(d.id(), d.virtualSize()));
        return m;
    }

    public long totalVirtualBytes() { return disks.stream().mapToLong(DiskInfo::virtualSize).sum(); }

    public List<String> sourcePaths() { return disks.stream().map(DiskInfo::path).toList(); }

    public String pool() { return pool; }

    /** The copies' format, null to keep each disk's own. */
    public DiskFormat format() { return format; }

    public boolean keepSource() { return keepSource; }

    public void targetsCreated(List<String> paths) { createdTargets.addAll(paths); }

    public List<String> createdTargets() { return List.copyOf(createdTargets); }

    public void exported() { this.exported = true; }

    public boolean isExported() { return exported; }

    public void mirrorStarted() { this.mirrorStarted = true; }

    public boolean isMirrorStarted() { return mirrorStarted; }

    public void mirrorFinished() { this.mirrorFinished = true; }

    public boolean isMirrorFinished() { return mirrorFinished; }

    @Override
    public String toString() {
        return "disks " + diskIds() + " -> pool '" + pool + "'" + (format == null ? "" : " as " + format.json());
    }
}

package dev.ferry.api.storage;

/**
 * What a disk move did.
 *
 * @param live            true if the VM ran and the move was a mirror plus pivot
 * @param oldImageDeleted false if the old image was kept (e.g. another image uses it as backing file)
 * @param note            why the old image was kept, or null
 */
public record MoveDiskResult(String vm, DiskInfo before, DiskInfo after, boolean live, long durationMs,
                             boolean oldImageDeleted, String note) {}

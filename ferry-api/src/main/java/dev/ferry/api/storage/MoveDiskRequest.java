package dev.ferry.api.storage;

import dev.ferry.api.spec.DiskFormat;

/**
 * Moves one disk of a VM to another storage pool of the same host, live if the VM runs.
 *
 * @param pool   the pool to move to
 * @param format the new image format, null to keep it
 */
public record MoveDiskRequest(String pool, DiskFormat format) {}

package dev.ferry.api.migration;

/**
 * Source, after a cold migration: forget the shut-off VM here, and delete its disk images when
 * {@code deleteDisks} (only images inside this host's pools that are not shared with other hosts).
 */
public record RetireRequest(String migrationId, boolean deleteDisks) {}

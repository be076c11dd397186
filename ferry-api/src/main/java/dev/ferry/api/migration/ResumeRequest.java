package dev.ferry.api.migration;

/**
 * Asks a source whose post-copy migration is paused (the stream broke) to reconnect to the
 * destination at {@code uri}, which the destination's {@code migrate-recover} listens on.
 */
public record ResumeRequest(String migrationId, String uri) {}

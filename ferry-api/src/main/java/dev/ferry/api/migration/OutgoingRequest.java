package dev.ferry.api.migration;

import java.util.Map;

/**
 * Asks a source agent to start sending a running VM to {@code uri}. The agent sets the
 * capabilities and parameters, then issues QEMU's {@code migrate}; it returns at once and the
 * caller follows progress through {@link MigrationStats}.
 *
 * @param maxBandwidthBytes bytes per second, null for QEMU's default
 * @param downtimeLimitMs   the longest pause QEMU may take for the final copy, null for the default
 */
public record OutgoingRequest(
        String migrationId,
        String uri,
        boolean tls,
        String tlsHostname,
        Long maxBandwidthBytes,
        Integer downtimeLimitMs,
        Map<String, Boolean> capabilities) {

    public OutgoingRequest {
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
    }
}

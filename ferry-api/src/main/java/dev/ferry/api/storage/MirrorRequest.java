package dev.ferry.api.storage;

import java.util.Map;

/**
 * Asks a migration source to mirror the given disks of a running VM to the destination's NBD
 * exports ({@code exports}: disk id to export name): full sync, then every guest write goes to both
 * sides before it completes (QEMU's write-blocking copy mode), so the copy converges under load.
 *
 * @param speedBytesPerSec cap on each mirror job, bytes per second; null for no cap
 */
public record MirrorRequest(String migrationId, String host, int port, boolean tls, String tlsHostname,
                            Map<String, String> exports, Long speedBytesPerSec) {
    public MirrorRequest {
        exports = exports == null ? Map.of() : Map.copyOf(exports);
    }
}

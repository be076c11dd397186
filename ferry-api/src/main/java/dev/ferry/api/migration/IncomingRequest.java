package dev.ferry.api.migration;

import dev.ferry.api.spec.VmSpec;
import java.util.Map;

/**
 * Asks a destination agent to get ready to receive a VM: define it (or accept an identical existing
 * definition), start QEMU with the identical machine and {@code -incoming defer}, set the same
 * migration capabilities as the source, and listen for the stream.
 *
 * @param tls          true: accept only a TLS stream from a peer with a cluster certificate
 * @param capabilities QEMU migration capabilities to set (both sides must agree), e.g. {@code xbzrle}
 */
public record IncomingRequest(String migrationId, VmSpec spec, boolean tls, Map<String, Boolean> capabilities) {
    public IncomingRequest {
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
    }
}

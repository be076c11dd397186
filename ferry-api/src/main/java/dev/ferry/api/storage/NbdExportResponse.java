package dev.ferry.api.storage;

import java.util.Map;

/**
 * Where the destination's NBD server listens, the name the source must check in its certificate,
 * and the export name of each disk (disk id to export name).
 */
public record NbdExportResponse(String host, int port, String tlsHostname, boolean tls, Map<String, String> exports) {
    public NbdExportResponse {
        exports = exports == null ? Map.of() : Map.copyOf(exports);
    }
}

package dev.ferry.api.storage;

import java.util.List;

/**
 * Asks a migration destination whose QEMU waits for the incoming stream to serve the given disks
 * writable over QEMU's built-in NBD server, so the source can mirror them.
 *
 * @param tls true: the NBD server accepts only TLS clients with a cluster certificate
 */
public record NbdExportRequest(boolean tls, List<String> disks) {
    public NbdExportRequest {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }
}

package dev.ferry.agent.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port for QEMU to receive a migration stream on. QEMU cannot be asked for "any port"
 * and tell it back, so the agent lets the kernel choose a free port on the migration address and
 * hands it to QEMU; if another process takes it in between, the caller simply tries again.
 */
final class FreePort {
    private FreePort() {}

    static int on(String address) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot listen on the migration address " + address
                    + " (migrationAddress in the agent config; is it an address of this host?): " + e.getMessage(), e);
        }
    }

    /** A QEMU socket URI for {@code address}: IPv6 literals go in brackets. */
    static String tcpUri(String address, int port) {
        String host = address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
        return "tcp:" + host + ":" + port;
    }
}

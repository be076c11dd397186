package dev.ferry.agent.host;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination end that every network probe of the migration path shares (the link probe's
 * drain, the latency probe's echo): a listener on the agent's migration address on a free port
 * that accepts one connection within {@code acceptMs}, hands it to the probe's handler on a daemon
 * thread and closes both sockets afterwards. At most {@code maxOpen} listeners of one kind exist
 * at a time; one more is refused with VM_BUSY, a failure to listen is IO_ERROR.
 */
public final class ProbeListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeListener.class);

    /** What a probe does with its one accepted connection. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket connection) throws IOException;
    }

    /** Where the listener waits: the migration address and the port it got. */
    public record Endpoint(String address, int port) {}

    private final AgentConfig config;
    private final String kind;
    private final int maxOpen;
    private final int acceptMs;
    private final AtomicInteger open = new AtomicInteger();

    /** {@code kind} names the probe in errors and thread names, e.g. "link probe". */
    public ProbeListener(AgentConfig config, String kind, int maxOpen, int acceptMs) {
        this.config = config;
        this.kind = kind;
        this.maxOpen = maxOpen;
        this.acceptMs = acceptMs;
    }

    public Endpoint listen(Handler handler) {
        if (open.incrementAndGet() > maxOpen) {
            open.decrementAndGet();
            throw new FerryException(ErrorCode.VM_BUSY, "too many " + kind + "s are open on " + config.name());
        }
        String address = config.migrationAddressOrListen();
        ServerSocket server;
        try {
            server = new ServerSocket(0, 1, InetAddress.getByName(address));
            server.setSoTimeout(acceptMs);
        } catch (IOException e) {
            open.decrementAndGet();
            throw new FerryException(ErrorCode.IO_ERROR, "cannot listen for a " + kind + " on " + address + ": " + e.getMessage(), e);
        }
        Thread t = new Thread(() -> serve(server, handler), kind.replace(' ', '-') + "-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return new Endpoint(address, server.getLocalPort());
    }

    private void serve(ServerSocket server, Handler handler) {
        try (server; Socket s = server.accept()) {
            handler.serve(s);
        } catch (IOException e) {
            // the prober closed or gave up; nothing to clean beyond the sockets
            LOG.debug("{}: {} ended: {}", config.name(), kind, e.getMessage());
        } finally {
            open.decrementAndGet();
        }
    }
}

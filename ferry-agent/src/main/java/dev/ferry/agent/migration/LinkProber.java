package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.host.ProbeListener;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.LinkProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of a link probe ({@link LinkProbe}): the destination accepts one connection on its
 * migration address and reads until the sender closes; the sender writes filler for a fixed time
 * and then waits for the destination to close, so the time it reports covers every byte arriving.
 * Bounded everywhere: a listener waits at most {@link #ACCEPT_MS} for its one connection and reads
 * for at most {@link #READ_MS}; a sender sends for at most {@link #MAX_SEND_MS}; at most
 * {@link #MAX_OPEN} listeners exist at a time.
 */
final class LinkProber {
    private static final Logger LOG = LoggerFactory.getLogger(LinkProber.class);
    static final int ACCEPT_MS = 15_000;
    static final int READ_MS = 30_000;
    static final long MAX_SEND_MS = 5_000;
    static final int MAX_OPEN = 4;
    private static final int BUFFER = 256 * 1024;

    private final AgentConfig config;
    private final ProbeListener listener;

    LinkProber(AgentConfig config) {
        this.config = config;
        this.listener = new ProbeListener(config, "link probe", MAX_OPEN, ACCEPT_MS);
    }

    LinkProbe.Target listen() {
        ProbeListener.Endpoint at = listener.listen(this::drain);
        return new LinkProbe.Target(at.address(), at.port());
    }

    private void drain(Socket s) throws IOException {
        long bytes = 0;
        try {
            s.setSoTimeout(READ_MS);
            long deadline = System.currentTimeMillis() + READ_MS;
            byte[] buf = new byte[BUFFER];
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0 && System.currentTimeMillis() < deadline) bytes += n;
        } finally {
            LOG.debug("{}: link probe read {} bytes", config.name(), bytes);
        }
    }

    LinkProbe.Result send(LinkProbe.Send req) {
        if (req == null || req.host() == null || req.port() < 1 || req.port() > 65535) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a link probe needs host and port");
        }
        long duration = Math.max(100, Math.min(MAX_SEND_MS, req.durationMs()));
        byte[] filler = new byte[BUFFER];
        for (int i = 0; i < filler.length; i++) filler[i] = (byte) (i * 31 + 7);
        long bytes = 0;
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(req.host(), req.port()), 10_000);
            s.setSoTimeout(READ_MS);
            OutputStream out = s.getOutputStream();
            long end = t0 + duration * 1_000_000;
            while (System.nanoTime() < end) {
                out.write(filler);
                bytes += filler.length;
            }
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the destination closes once it has read everything
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "link probe to " + req.host() + ":" + req.port() + " failed: "
                    + e.getMessage(), e);
        }
        long elapsedMs = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        return new LinkProbe.Result(bytes, elapsedMs);
    }
}

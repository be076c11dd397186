package dev.ferry.agent.host;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.LatencyProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Both ends of a latency probe ({@link LatencyProbe}): the destination echoes every byte of one
 * connection on its migration address; the source times {@code count} one-byte round trips over
 * it (TCP_NODELAY, so each is one packet each way) and, for loss, sends as many ICMP echo requests
 * with {@code InetAddress.isReachable}. Bounded everywhere: a listener waits {@link #ACCEPT_MS}
 * for its connection and lives at most {@link #LIFE_MS}; each round trip and echo request waits at
 * most {@link #SAMPLE_TIMEOUT_MS}; at most {@link #MAX_OPEN} listeners exist at a time.
 */
public final class LatencyProber {
    static final int ACCEPT_MS = 15_000;
    static final int LIFE_MS = 60_000;
    static final int SAMPLE_TIMEOUT_MS = 1_000;
    static final int MAX_OPEN = 4;
    static final int MAX_COUNT = 100;

    private final ProbeListener listener;

    public LatencyProber(AgentConfig config) { this.listener = new ProbeListener(config, "latency probe", MAX_OPEN, ACCEPT_MS); }

    public LatencyProbe.Target listen() {
        ProbeListener.Endpoint at = listener.listen(LatencyProber::echo);
        return new LatencyProbe.Target(at.address(), at.port());
    }

    private static void echo(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout(LIFE_MS);
        long deadline = System.currentTimeMillis() + LIFE_MS;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int b;
        while (System.currentTimeMillis() < deadline && (b = in.read()) >= 0) {
            out.write(b);
            out.flush();
        }
    }

    public LatencyProbe.Result measure(LatencyProbe.Measure req) {
        if (req == null || req.host() == null || req.port() < 1 || req.port() > 65535 || req.count() < 1 || req.count() > MAX_COUNT) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a latency probe needs host, port and a count of 1.." + MAX_COUNT);
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(req.host(), req.port()), 10_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(SAMPLE_TIMEOUT_MS);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < req.count(); i++) {
                long t0 = System.nanoTime();
                out.write(i & 0x7f);
                out.flush();
                if (in.read() < 0) throw new IOException("the echo listener closed the connection");
                double ms = (System.nanoTime() - t0) / 1e6;
                min = Math.min(min, ms);
                max = Math.max(max, ms);
                sum += ms;
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "latency probe to " + req.host() + ":" + req.port() + " failed: "
                    + e.getMessage(), e);
        }
        int lost = 0;
        try {
            InetAddress target = InetAddress.getByName(req.host());
            for (int i = 0; i < req.count(); i++) {
                if (!target.isReachable(SAMPLE_TIMEOUT_MS)) lost++;
            }
        } catch (IOException e) {
            lost = req.count();
        }
        return new LatencyProbe.Result(req.count(), min, sum / req.count(), max, req.count(), lost, lossMethod());
    }

    /** Java's isReachable sends ICMP echo requests when it may open a raw socket (root), else tries TCP port 7. */
    private static String lossMethod() {
        return "root".equals(System.getProperty("user.name")) ? "icmp-echo" : "tcp-echo-port-7";
    }
}

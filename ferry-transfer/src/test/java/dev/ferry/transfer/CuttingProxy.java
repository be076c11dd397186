package dev.ferry.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that cuts its first connection dead after {@code cutAfter} bytes went
 * from client to server (both sockets closed mid-stream, as a failing link would); later
 * connections pass untouched. TLS runs end to end through it.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long cutAfter;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicLong forwarded = new AtomicLong();

    CuttingProxy(int targetPort, long cutAfter) throws IOException {
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        Thread t = new Thread(this::acceptLoop, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                boolean cut = connections.incrementAndGet() == 1;
                pump(client, upstream, cut ? cutAfter : Long.MAX_VALUE);
                pump(upstream, client, Long.MAX_VALUE);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long limit) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 << 10];
            long n = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    int pass = (int) Math.min(r, limit - n);
                    out.write(buf, 0, pass);
                    n += pass;
                    forwarded.addAndGet(pass);
                    if (n >= limit) break;
                }
            } catch (IOException ignored) {
                // the other direction closed the sockets
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException { server.close(); }
}

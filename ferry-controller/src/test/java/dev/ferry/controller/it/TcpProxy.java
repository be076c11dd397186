package dev.ferry.controller.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of an agent's API, to cut the controller off from that
 * agent as a network partition would: {@link #cut()} closes every forwarded connection and stops
 * listening (new connections are refused), {@link #restore()} listens again on the same port. TLS
 * passes through untouched, so the agent's certificate (valid for 127.0.0.1) still verifies.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(int targetPort) {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = listen(0);
        this.port = server.getLocalPort();
        serve(server);
    }

    int port() { return port; }

    /** Refuses new connections and resets the open ones. */
    synchronized void cut() {
        closeQuietly(server);
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    synchronized void restore() {
        if (!server.isClosed()) return;
        server = listen(port);
        serve(server);
    }

    @Override
    public void close() { cut(); }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    private void serve(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream;
                    try {
                        upstream = new Socket(target.getAddress(), target.getPort());
                    } catch (IOException e) {
                        closeQuietly(client);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed by cut(), or the agent refused: the client sees its connection end
                }
            }
        }, "tcp-proxy-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}

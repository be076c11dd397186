package dev.ferry.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real mutual-TLS handshakes over loopback with plain JDK sockets: the server requires a client
 * certificate, the client checks the server's IP SAN (HTTPS endpoint identification). Each case
 * sends one byte each way after the handshake, because in TLS 1.3 the client only learns that the
 * server rejected its certificate when it next reads.
 */
class MutualTlsHandshakeTest {
    private static final int TIMEOUT_MS = 10_000;

    @TempDir static Path tmp;

    private static TlsIdentity server;
    private static TlsIdentity client;
    private static TlsIdentity foreignServer;
    private static TlsIdentity foreignClient;
    private static ExecutorService executor;

    @BeforeAll
    static void issueIdentities() {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        // Same cluster name, hence the same issuer DN: only the signature tells the two CAs apart.
        ClusterCa otherCa = ClusterCa.init(tmp.resolve("other-ca"), "prod");
        server = ca.issue("server-1", List.of("127.0.0.1"), List.of("localhost"), tmp.resolve("server-1")).load();
        client = ca.issue("client-1", null, null, tmp.resolve("client-1")).load();
        foreignServer = otherCa.issue("server-1", List.of("127.0.0.1"), null, tmp.resolve("foreign-server")).load();
        foreignClient = otherCa.issue("client-1", null, null, tmp.resolve("foreign-client")).load();
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
    }

    /** What each side saw: the peer's CN and the protocol on success, or the error. */
    record Side(String peer, String protocol, Exception error) {}

    record Result(Side server, Side client) {}

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientAndServerOfTheSameCaConnect(String protocol) throws Exception {
        Result result = handshake(server.sslContext(), client.sslContext(), protocol);

        assertThat(result.server().error()).isNull();
        assertThat(result.client().error()).isNull();
        assertThat(result.server().peer()).isEqualTo("client-1");
        assertThat(result.client().peer()).isEqualTo("server-1");
        assertThat(result.server().protocol()).isEqualTo(protocol);
        assertThat(result.client().protocol()).isEqualTo(protocol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aClientCertificateFromAnotherCaIsRefused(String protocol) throws Exception {
        Result result = handshake(server.sslContext(), trustingClusterButPresenting(foreignClient), protocol);

        assertThat(result.server().error()).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("PKIX path");
        assertThat(result.client().error()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aClientWithoutCertificateIsRefused(String protocol) throws Exception {
        Result result = handshake(server.sslContext(), trustingClusterButPresenting(null), protocol);

        assertThat(result.server().error()).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("Empty client certificate chain");
        assertThat(result.client().error()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aServerCertificateFromAnotherCaIsRefusedByTheClient(String protocol) throws Exception {
        Result result = handshake(foreignServer.sslContext(), client.sslContext(), protocol);

        assertThat(result.client().error()).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("PKIX path");
        assertThat(result.server().error()).isNotNull();
    }

    /** A client that trusts our cluster CA but authenticates with {@code presented} (or with nothing). */
    private static SSLContext trustingClusterButPresenting(TlsIdentity presented) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(client.trustStore());
        KeyManager[] keys = new KeyManager[0];
        if (presented != null) {
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
            char[] password = "pw".toCharArray();
            factory.init(presented.keyStore(password), password);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private static Result handshake(SSLContext serverContext, SSLContext clientContext, String protocol) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {protocol});
            Future<Side> serverSide = executor.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(TIMEOUT_MS);
                    try {
                        socket.startHandshake();
                        socket.getOutputStream().write(42);
                        socket.getOutputStream().flush();
                        expectByte(socket.getInputStream(), 7);
                        return new Side(peerName(socket), socket.getSession().getProtocol(), null);
                    } catch (IOException e) {
                        return new Side(null, null, e);
                    }
                }
            });
            Side clientSide;
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(loopback, listener.getLocalPort()), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(new String[] {protocol});
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // checks the 127.0.0.1 IP SAN
                socket.setSSLParameters(parameters);
                try {
                    socket.startHandshake();
                    expectByte(socket.getInputStream(), 42);
                    socket.getOutputStream().write(7);
                    socket.getOutputStream().flush();
                    clientSide = new Side(peerName(socket), socket.getSession().getProtocol(), null);
                } catch (IOException e) {
                    clientSide = new Side(null, null, e);
                }
            }
            return new Result(serverSide.get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS), clientSide);
        }
    }

    private static void expectByte(InputStream in, int expected) throws IOException {
        int read = in.read();
        if (read != expected) throw new IOException("expected byte " + expected + " but read " + read);
    }

    private static String peerName(SSLSocket socket) throws IOException {
        X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return CertificateTemplates.subjectAttribute(peer, org.bouncycastle.asn1.x500.style.BCStyle.CN);
    }
}

package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.pki.TlsIdentity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's API is mutual TLS only: a client must present a certificate of the cluster CA. Every
 * refused client below does trust the agent's certificate (the cluster CA is in its trust store),
 * so the refusal is the agent's, not the client's. Uses the JDK's HttpClient and raw SSLSockets,
 * not Ferry's client, so nothing of Ferry's own client code can mask the result.
 */
@Tag("qemu") // the agent asks QEMU for its capabilities at start-up
@Timeout(60)
class MutualTlsTest {
    static TestAgent agent;

    @BeforeAll
    static void startAgent() {
        agent = TestAgent.start();
    }

    @AfterAll
    static void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void clusterClientIsServed() throws Exception {
        HttpResponse<String> resp = get(agent.pki().clientSsl());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body()).isEqualTo("[]");
    }

    @Test
    void clientCertificateOfAnotherCaIsRefusedAtTheHandshake() throws Exception {
        SSLContext foreign = context(agent.pki().foreignClient(), true);

        Throwable http = catchThrowable(() -> get(foreign));
        assertThat(http).as("HttpClient with a foreign CA's certificate gets no HTTP answer").isInstanceOf(IOException.class);

        assertRefusedOnSocket(foreign);
    }

    @Test
    void clientWithoutCertificateIsRefusedAtTheHandshake() throws Exception {
        SSLContext anonymous = context(null, false);

        Throwable http = catchThrowable(() -> get(anonymous));
        assertThat(http).as("HttpClient without a client certificate gets no HTTP answer").isInstanceOf(IOException.class);

        assertRefusedOnSocket(anonymous);
    }

    /**
     * Over TLS 1.3 the client's side of the handshake completes before the server has checked the
     * client's certificate; the refusal arrives as an alert on the client's first read. Nothing is
     * sent, so no request can reach a route.
     */
    private static void assertRefusedOnSocket(SSLContext ssl) throws IOException {
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", agent.port())) {
            socket.setSoTimeout(10_000);
            Throwable refused = catchThrowable(() -> {
                socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()).as("the agent's certificate").isNotEmpty();
            int b = socket.getInputStream().read();
                throw new AssertionError("the agent kept the connection open (read returned " + b + ")");
            });
            // The agent's alert (bad_certificate, certificate_required) or, when it has already
            // closed the connection while the client was still writing, a broken pipe or reset.
            assertThat(refused).isInstanceOf(IOException.class);
            assertThat(String.valueOf(refused.getMessage())).as("the client accepted the agent's certificate")
                    .doesNotContain("PKIX").doesNotContain("No subject alternative");
        }
    }

    private static HttpResponse<String> get(SSLContext ssl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(agent.url().resolve("/v1/vms")).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** Trusts the cluster CA (so the agent's certificate is fine); presents {@code identity}'s key if given. */
    private static SSLContext context(TlsIdentity identity, boolean withKey) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(agent.pki().client().trustStore());
        KeyManager[] keys = null;
        if (withKey) {
            char[] pw = "test".toCharArray();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(identity.keyStore(pw), pw);
            keys = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, tmf.getTrustManagers(), null);
        return ctx;
    }
}

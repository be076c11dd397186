package dev.ferry.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsIdentityTest {
    @TempDir Path tmp;

    private ClusterCa ca;
    private Path dir;

    @BeforeEach
    void issue() {
        ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        dir = ca.issue("agent-1", List.of("127.0.0.1"), List.of("agent-1.local"), tmp.resolve("agent-1")).dir();
    }

    private static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(FerryException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(code));
    }

    @Test
    void loadsTheIssuedIdentity() throws Exception {
        TlsIdentity identity = TlsIdentity.load(dir);

        assertThat(identity.commonName()).isEqualTo("agent-1");
        assertThat(identity.certificate()).isEqualTo(PemFiles.readCertificate(dir.resolve("server-cert.pem")));
        assertThat(identity.caCertificate()).isEqualTo(ca.certificate());
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded()));
        assertThat(identity.fingerprintSha256()).isEqualTo(expected).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void keyStoreHoldsTheKeyAndChainAndTrustStoreOnlyTheCa() throws Exception {
        TlsIdentity identity = TlsIdentity.load(dir);
        char[] password = "secret".toCharArray();

        KeyStore keyStore = identity.keyStore(password);
        assertThat(Collections.list(keyStore.aliases())).containsExactly(TlsIdentity.KEY_ALIAS);
        assertThat(keyStore.getKey(TlsIdentity.KEY_ALIAS, password)).isNotNull();
        assertThat(keyStore.getCertificateChain(TlsIdentity.KEY_ALIAS))
                .containsExactly(identity.certificate(), ca.certificate());

        KeyStore trustStore = identity.trustStore();
        assertThat(Collections.list(trustStore.aliases())).containsExactly(TlsIdentity.CA_ALIAS);
        assertThat(trustStore.isCertificateEntry(TlsIdentity.CA_ALIAS)).isTrue();
        assertThat(trustStore.getCertificate(TlsIdentity.CA_ALIAS)).isEqualTo(ca.certificate());
    }

    @Test
    void sslContextOffersTls13And12() {
        SSLContext context = TlsIdentity.load(dir).sslContext();
        assertThat(context.getSupportedSSLParameters().getProtocols()).contains("TLSv1.3", "TLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca-cert.pem", "server-cert.pem", "server-key.pem"})
    void aMissingFileIsNamed(String file) throws Exception {
        Files.delete(dir.resolve(file));
        assertFails(() -> TlsIdentity.load(dir), ErrorCode.NOT_FOUND, dir.resolve(file) + " does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca-cert.pem", "server-cert.pem", "server-key.pem"})
    void aGarbledFileIsNamed(String file) throws Exception {
        Files.writeString(dir.resolve(file), "-----BEGIN X-----\n@@@@\n-----END X-----\n");
        assertThatThrownBy(() -> TlsIdentity.load(dir))
                .isInstanceOf(FerryException.class)
                .hasMessageStartingWith(dir.resolve(file) + " ")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
    }

    @Test
    void aKeyFromAnotherIdentityIsRefused() {
        Path other = ca.issue("agent-2", null, null, tmp.resolve("agent-2")).dir();
        copy(other.resolve("server-key.pem"), dir.resolve("server-key.pem"));
        assertFails(() -> TlsIdentity.load(dir), ErrorCode.INVALID_STATE, "the private key in " + dir.resolve("server-key.pem")
                + " does not belong to the certificate in " + dir.resolve("server-cert.pem"));
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        ClusterCa otherCa = ClusterCa.init(tmp.resolve("other-ca"), "prod");
        copy(otherCa.dir().resolve("ca-cert.pem"), dir.resolve("ca-cert.pem"));
        assertFails(() -> TlsIdentity.load(dir), ErrorCode.INVALID_STATE, "the certificate in " + dir.resolve("server-cert.pem")
                + " was not issued by the CA in " + dir.resolve("ca-cert.pem"));
    }

    @Test
    void anExpiredCertificateGivesNoSslContext() throws Exception {
        // Issue a certificate that ends before it is loaded: shortest positive validity, then wait past it.
        // The back-dated start means a 1 ms validity is already over when issue() returns.
        IssuedIdentity expired = ca.issue("old", null, null, tmp.resolve("old"), java.time.Duration.ofMillis(1));
        Thread.sleep(1100);
        TlsIdentity identity = expired.load();
        assertThatThrownBy(identity::sslContext)
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("the certificate of old in " + tmp.resolve("old") + " expired on");
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

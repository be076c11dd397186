package dev.ferry.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterCaTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir Path tmp;

    private static String perms(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void assertFails(ThrowingCallable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(code));
    }

    @Test
    void initCreatesTheCaWithAnOwnerOnlyKey() throws Exception {
        Path dir = tmp.resolve("ca");
        ClusterCa ca = ClusterCa.init(dir, "prod");

        assertThat(perms(dir)).isEqualTo("rwx------");
        assertThat(perms(dir.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(perms(dir.resolve("ca-cert.pem"))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        X509Certificate cert = ca.certificate();
        assertThat(cert.getBasicConstraints()).isZero();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertThat(ca.clusterName()).isEqualTo("prod");
    }

    @Test
    void aSecondInitIsRefusedAndChangesNothing() throws Exception {
        Path dir = tmp.resolve("ca");
        ClusterCa.init(dir, "prod");
        String key = Files.readString(dir.resolve("ca-key.pem"));

        assertFails(() -> ClusterCa.init(dir, "prod"), ErrorCode.INVALID_STATE, "a cluster CA already exists in " + dir);
        assertThat(Files.readString(dir.resolve("ca-key.pem"))).isEqualTo(key);

        Files.delete(dir.resolve("ca-cert.pem")); // a half-present CA is still a CA
        assertFails(() -> ClusterCa.init(dir, "prod"), ErrorCode.INVALID_STATE, "already exists");
    }

    @Test
    void loadRoundTrips() {
        Path dir = tmp.resolve("ca");
        ClusterCa created = ClusterCa.init(dir, "prod");

        ClusterCa loaded = ClusterCa.load(dir);

        assertThat(loaded.certificate()).isEqualTo(created.certificate());
        assertThat(loaded.clusterName()).isEqualTo("prod");
        assertThat(loaded.fingerprintSha256()).isEqualTo(created.fingerprintSha256());
        X509Certificate issued = loaded.issue("h1", List.of(), List.of(), tmp.resolve("h1")).certificate();
        assertThat(issued.getIssuerX500Principal()).isEqualTo(created.certificate().getSubjectX500Principal());
    }

    @Test
    void loadReportsMissingAndMismatchedFiles() throws Exception {
        assertFails(() -> ClusterCa.load(tmp.resolve("none")), ErrorCode.NOT_FOUND, "no cluster CA in " + tmp.resolve("none"));

        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ClusterCa.init(a, "one");
        ClusterCa.init(b, "two");
        Files.delete(a.resolve("ca-key.pem"));
        assertFails(() -> ClusterCa.load(a), ErrorCode.NOT_FOUND, a.resolve("ca-key.pem").toString());

        Files.copy(b.resolve("ca-key.pem"), a.resolve("ca-key.pem"));
        assertFails(() -> ClusterCa.load(a), ErrorCode.INVALID_STATE,
                "the private key in " + a.resolve("ca-key.pem") + " does not belong to the certificate in " + a.resolve("ca-cert.pem"));
    }

    @Test
    void issueWritesTheQemuLayoutWithOwnerOnlyKeys() throws Exception {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        Path out = tmp.resolve("hosts/h1");

        IssuedIdentity issued = ca.issue("h1", List.of("10.0.0.1"), List.of("h1.example"), out);

        assertThat(issued.dir()).isEqualTo(out);
        assertThat(perms(out)).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "ca-cert.pem", "server-cert.pem", "server-key.pem", "client-cert.pem", "client-key.pem");
        }
        assertThat(perms(out.resolve("server-key.pem"))).isEqualTo("rw-------");
        assertThat(perms(out.resolve("client-key.pem"))).isEqualTo("rw-------");
        assertThat(perms(out.resolve("server-cert.pem"))).isEqualTo("rw-r--r--");
        assertThat(PemFiles.readCertificate(out.resolve("ca-cert.pem"))).isEqualTo(ca.certificate());
        assertThat(PemFiles.readCertificate(out.resolve("server-cert.pem"))).isEqualTo(issued.certificate());
        assertThat(PemFiles.readCertificate(out.resolve("client-cert.pem"))).isEqualTo(issued.certificate());
        assertThat(Files.readString(out.resolve("client-key.pem"))).isEqualTo(Files.readString(out.resolve("server-key.pem")));
    }

    @Test
    void issuedCertificatesChainToTheCaWithSansAndBothPurposes() throws Exception {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");

        X509Certificate cert = ca.issue("h1", List.of("10.0.0.1", "fd00::1"), List.of("h1.example", "H1.Example.ORG"),
                tmp.resolve("h1")).certificate();

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=h1,O=prod");
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "h1.example"), List.of(2, "h1.example.org"), List.of(7, "10.0.0.1"), List.of(7, "fd00:0:0:0:0:0:0:1"));
        assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
    }

    @Test
    void validityDefaultsTo825DaysAndCanBeChosen() throws Exception {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        Instant now = Instant.now();

        X509Certificate byDefault = ca.issue("a", null, null, tmp.resolve("a")).certificate();
        X509Certificate shortLived = ca.issue("b", null, null, tmp.resolve("b"), Duration.ofDays(7)).certificate();

        assertThat(byDefault.getNotAfter().toInstant()).isCloseTo(now.plus(Duration.ofDays(825)), within(1, ChronoUnit.MINUTES));
        assertThat(shortLived.getNotAfter().toInstant()).isCloseTo(now.plus(Duration.ofDays(7)), within(1, ChronoUnit.MINUTES));
        assertThat(byDefault.getNotBefore().toInstant()).isBefore(now);
        assertThat(byDefault.getSubjectAlternativeNames()).isNull();
        assertThat(byDefault.getSerialNumber()).isPositive().isNotEqualTo(shortLived.getSerialNumber());
        assertThat(byDefault.getSerialNumber().bitLength()).isLessThanOrEqualTo(159);

        assertFails(() -> ca.issue("c", null, null, tmp.resolve("c"), Duration.ofDays(4000)),
                ErrorCode.INVALID_STATE, "the cluster CA expires on");
        assertFails(() -> ca.issue("c", null, null, tmp.resolve("c"), Duration.ZERO), ErrorCode.INVALID_ARGUMENT, "must be positive");
    }

    @Test
    void reissuingReplacesTheIdentity() throws Exception {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        IssuedIdentity first = ca.issue("h1", null, null, tmp.resolve("h1"));
        IssuedIdentity second = ca.issue("h1", List.of("10.0.0.2"), null, tmp.resolve("h1"));

        assertThat(second.fingerprintSha256()).isNotEqualTo(first.fingerprintSha256());
        assertThat(second.load().fingerprintSha256()).isEqualTo(second.fingerprintSha256());
        assertThat(perms(tmp.resolve("h1/server-key.pem"))).isEqualTo("rw-------");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-h1", ".h1", "H1", "h_1", "h 1", "hôte",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void badNamesAreRejected(String name) {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        assertFails(() -> ca.issue(name, null, null, tmp.resolve("x")), ErrorCode.INVALID_ARGUMENT,
                "invalid identity name '" + name + "'");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertFails(() -> ClusterCa.init(tmp.resolve("ca2"), name), ErrorCode.INVALID_ARGUMENT, "invalid cluster name");
    }

    @Test
    void goodNamesAreAccepted() {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        String longest = "a" + "b".repeat(62);
        for (String name : List.of("h", "0", "host-1.rack2", longest)) {
            assertThat(ca.issue(name, null, null, tmp.resolve(name)).load().commonName()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "10.0.0", "10.0.0.1/24", "host.example", "fe80::1%eth0", "1::2::3", " ", " 10.0.0.2", "[::1]", "::g"})
    void badIpsAreRejectedByValue(String ip) {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        assertFails(() -> ca.issue("h1", List.of("10.0.0.1", ip), null, tmp.resolve("x")), ErrorCode.INVALID_ARGUMENT,
                "invalid IP address '" + ip + "'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*.example", "a..b", "-a.example", "a-.example", "a_b.example", "example.", "10.0.0.1 "})
    void badDnsNamesAreRejectedByValue(String dns) {
        ClusterCa ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        assertFails(() -> ca.issue("h1", null, List.of(dns), tmp.resolve("x")), ErrorCode.INVALID_ARGUMENT,
                "invalid DNS name '" + dns + "'");
    }

    @Test
    void identitiesAreNeverWrittenIntoTheCaDirectory() {
        Path dir = tmp.resolve("ca");
        ClusterCa ca = ClusterCa.init(dir, "prod");
        assertFails(() -> ca.issue("h1", null, null, dir.resolve(".")), ErrorCode.INVALID_ARGUMENT,
                "into the CA directory");
    }
}

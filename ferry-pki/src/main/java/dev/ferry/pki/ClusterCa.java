package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.pki.PemFiles.WriteMode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The certificate authority of one Ferry cluster. Hosts (agents), the controller and CLI clients
 * authenticate each other, and QEMU authenticates its migration peer, with certificates this CA
 * issues; trusting this CA and nothing else is what makes the cluster's mutual TLS closed. The CA
 * lives in a directory holding {@code ca-cert.pem} and {@code ca-key.pem} (PKCS#8, created 0600);
 * it is created once with {@link #init} and never overwritten, because replacing it silently would
 * orphan every certificate already issued. Keys are ECDSA P-256 (see {@link Keys}).
 */
public final class ClusterCa {
    public static final String CA_CERT = IdentityLayout.CA_CERT;
    public static final String CA_KEY = "ca-key.pem";
    /** Validity of the CA certificate itself. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Default validity of issued certificates (the CA/Browser Forum's former maximum). */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(825);

    private final Path dir;
    private final String clusterName;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private ClusterCa(Path dir, String clusterName, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.clusterName = clusterName;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Creates a new CA in {@code dir} (created 0700 if missing). Refuses with
     * {@link ErrorCode#INVALID_STATE} if {@code ca-cert.pem} or {@code ca-key.pem} already exists there.
     */
    public static ClusterCa init(Path dir, String clusterName) {
        Objects.requireNonNull(dir, "dir");
        IdentityNames.requireName("cluster name", clusterName);
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (Files.exists(certFile) || Files.exists(keyFile)) {
            throw alreadyExists(dir);
        }
        PemFiles.createPrivateDirectory(dir);
        KeyPair keys = Keys.generate();
        X509Certificate certificate = CertificateTemplates.clusterCa(clusterName, keys, Instant.now(), CA_VALIDITY);
        try {
            PemFiles.writePrivateKey(keyFile, keys.getPrivate(), WriteMode.CREATE_NEW);
        } catch (FerryException e) {
            throw e.code() == ErrorCode.INVALID_STATE ? alreadyExists(dir) : e; // lost a race with another init
        }
        try {
            PemFiles.writeCertificate(certFile, certificate, WriteMode.CREATE_NEW);
        } catch (FerryException e) {
            deleteQuietly(keyFile);
            throw e.code() == ErrorCode.INVALID_STATE ? alreadyExists(dir) : e;
        }
        return new ClusterCa(dir, clusterName, certificate, keys.getPrivate());
    }

    /** Loads the CA that {@link #init} created in {@code dir}. */
    public static ClusterCa load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (!Files.exists(certFile) && !Files.exists(keyFile)) {
            throw new FerryException(ErrorCode.NOT_FOUND,
                    "no cluster CA in " + dir + ": neither " + CA_CERT + " nor " + CA_KEY + " exists");
        }
        X509Certificate certificate = PemFiles.readCertificate(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (certificate.getBasicConstraints() < 0) {
            throw new FerryException(ErrorCode.INVALID_STATE, certFile + " is not a CA certificate");
        }
        Keys.requireMatch(key, keyFile, certificate.getPublicKey(), certFile);
        String clusterName = CertificateTemplates.subjectAttribute(certificate, BCStyle.O);
        return new ClusterCa(dir, clusterName, certificate, key);
    }

    /** Issues a certificate valid for {@link #DEFAULT_VALIDITY}; see {@link #issue(String, List, List, Path, Duration)}. */
    public IssuedIdentity issue(String name, List<String> ips, List<String> dnsNames, Path outDir) {
        return issue(name, ips, dnsNames, outDir, DEFAULT_VALIDITY);
    }

    /**
     * Issues a certificate for a host or client named {@code name} (its CN) with the given IP and
     * DNS subject alternative names (null means none), usable for both TLS server and client
     * authentication, and writes it with a fresh key and the CA certificate into {@code outDir}
     * in the layout of {@link IdentityLayout}, replacing an identity already there. The validity
     * must be positive and must not reach past the CA's own expiry.
     */
    public IssuedIdentity issue(String name, List<String> ips, List<String> dnsNames, Path outDir, Duration validity) {
        IdentityNames.requireName("identity name", name);
        List<InetAddress> ipAddresses = IdentityNames.ipAddresses(ips);
        List<String> dns = IdentityNames.dnsNames(dnsNames);
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "invalid validity " + validity + ": it must be positive");
        }
        if (sameDirectory(outDir, dir)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT,
                    "refusing to write the identity " + name + " into the CA directory " + dir);
        }
        Instant now = Instant.now();
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            throw new FerryException(ErrorCode.INVALID_STATE, "cannot issue " + name + " for " + validity.toDays()
                    + " days: the cluster CA expires on " + caNotAfter + "; use a shorter validity or a new CA");
        }
        KeyPair keys = Keys.generate();
        X509Certificate issued = CertificateTemplates.endEntity(certificate, key, clusterName, name, ipAddresses, dns,
                keys.getPublic(), now.minus(CertificateTemplates.BACKDATE), notAfter);
        IdentityLayout.write(outDir, certificate, issued, keys.getPrivate());
        return new IssuedIdentity(name, outDir, issued);
    }

    public Path dir() { return dir; }

    /** The name given to {@link #init}, read back from the CA certificate's organization. */
    public String clusterName() { return clusterName; }

    public X509Certificate certificate() { return certificate; }

    public String fingerprintSha256() { return Fingerprints.sha256(certificate); }

    private static FerryException alreadyExists(Path dir) {
        return new FerryException(ErrorCode.INVALID_STATE, "a cluster CA already exists in " + dir
                + " (" + CA_CERT + " or " + CA_KEY + " is present); refusing to overwrite it");
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // fall through to the lexical comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller reports the original failure
        }
    }
}

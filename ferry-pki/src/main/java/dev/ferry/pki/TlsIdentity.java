package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * One member's identity in the cluster, loaded from a directory in the {@link IdentityLayout}
 * (the same directory QEMU is pointed at), turned into what the JDK's TLS stack needs. Its
 * {@link #sslContext()} presents this member's certificate and trusts the cluster CA and nothing
 * else, not the JDK's public CAs, so a peer is accepted exactly when the cluster CA issued its
 * certificate. The directory is checked when loaded (the key belongs to the certificate, the
 * certificate was issued by the CA in {@code ca-cert.pem}) so a broken directory is reported
 * with the file at fault instead of surfacing later as an obscure handshake failure. The
 * certificate and key are read from the server-named files; the client-named copies are for QEMU.
 */
public final class TlsIdentity {
    /** Alias of the key entry in {@link #keyStore}. */
    public static final String KEY_ALIAS = "ferry-identity";
    /** Alias of the CA's entry in {@link #trustStore()}. */
    public static final String CA_ALIAS = "ferry-cluster-ca";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate caCertificate;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private TlsIdentity(Path dir, X509Certificate caCertificate, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.certificate = certificate;
        this.key = key;
    }

    public static TlsIdentity load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path caFile = dir.resolve(IdentityLayout.CA_CERT);
        Path certFile = dir.resolve(IdentityLayout.SERVER_CERT);
        Path keyFile = dir.resolve(IdentityLayout.SERVER_KEY);
        X509Certificate ca = PemFiles.readCertificate(caFile);
        X509Certificate certificate = PemFiles.readCertificate(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (ca.getBasicConstraints() < 0) {
            throw new FerryException(ErrorCode.INVALID_STATE, caFile + " is not a CA certificate");
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INVALID_STATE,
                    "the certificate in " + certFile + " was not issued by the CA in " + caFile, e);
        }
        Keys.requireMatch(key, keyFile, certificate.getPublicKey(), certFile);
        return new TlsIdentity(dir, ca, certificate, key);
    }

    /**
     * A TLS context (TLS 1.2 and 1.3) that authenticates with this identity and trusts only the
     * cluster CA, for both server and client sockets. Servers should still call
     * {@code setNeedClientAuth(true)}. Refuses with {@link ErrorCode#INVALID_STATE} if the
     * certificate has expired or is not yet valid.
     */
    public SSLContext sslContext() {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new FerryException(ErrorCode.INVALID_STATE, "the certificate of " + commonName() + " in " + dir
                    + " expired on " + certificate.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new FerryException(ErrorCode.INVALID_STATE, "the certificate of " + commonName() + " in " + dir
                    + " is not valid before " + certificate.getNotBefore().toInstant(), e);
        }
        char[] password = new char[32];
        for (int i = 0; i < password.length; i++) password[i] = (char) ('a' + RANDOM.nextInt(26));
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
            keyManagers.init(keyStore(password), password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot set up TLS for " + dir, e);
        }
    }

    /** An in-memory PKCS#12 key store holding this identity's key and chain under {@link #KEY_ALIAS}. */
    public KeyStore keyStore(char[] password) {
        Objects.requireNonNull(password, "password");
        KeyStore store = emptyStore();
        try {
            store.setKeyEntry(KEY_ALIAS, key, password, new Certificate[] {certificate, caCertificate});
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot build a key store for " + dir, e);
        }
        return store;
    }

    /** An in-memory PKCS#12 trust store holding only the cluster CA, under {@link #CA_ALIAS}. */
    public KeyStore trustStore() {
        KeyStore store = emptyStore();
        try {
            store.setCertificateEntry(CA_ALIAS, caCertificate);
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot build a trust store for " + dir, e);
        }
        return store;
    }

    public X509Certificate certificate() { return certificate; }

    public X509Certificate caCertificate() { return caCertificate; }

    public Path dir() { return dir; }

    /** SHA-256 fingerprint of {@link #certificate()}, as {@code AB:CD:...}. */
    public String fingerprintSha256() { return Fingerprints.sha256(certificate); }

    /** The CN of the certificate's subject: the name it was issued for. */
    public String commonName() {
        return CertificateTemplates.subjectAttribute(certificate, BCStyle.CN);
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot create an in-memory PKCS#12 store", e);
        }
    }
}

package dev.ferry.pki;

import dev.ferry.pki.PemFiles.WriteMode;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The on-disk layout of an identity directory, which is exactly what QEMU's
 * {@code -object tls-creds-x509,dir=DIR,endpoint=server|client,verify-peer=on} reads: the cluster
 * CA certificate plus the same certificate and key under both the server and the client names, so
 * one directory serves a host whichever end of a migration or NBD connection it is. Keeping the
 * file names in one place keeps {@link ClusterCa} (which writes the layout) and
 * {@link TlsIdentity} (which reads it) from drifting apart.
 */
public final class IdentityLayout {
    public static final String CA_CERT = "ca-cert.pem";
    public static final String SERVER_CERT = "server-cert.pem";
    public static final String SERVER_KEY = "server-key.pem";
    public static final String CLIENT_CERT = "client-cert.pem";
    public static final String CLIENT_KEY = "client-key.pem";

    private IdentityLayout() {}

    /**
     * Writes the layout into {@code dir} (created 0700 if missing), replacing an earlier identity
     * file by file: keys are 0600, certificates 0644. Keys are written before certificates, so an
     * interrupted rewrite is caught by {@link TlsIdentity#load}'s key/certificate match check.
     */
    static void write(Path dir, X509Certificate ca, X509Certificate certificate, PrivateKey key) {
        PemFiles.createPrivateDirectory(dir);
        PemFiles.writePrivateKey(dir.resolve(SERVER_KEY), key, WriteMode.REPLACE);
        PemFiles.writePrivateKey(dir.resolve(CLIENT_KEY), key, WriteMode.REPLACE);
        PemFiles.writeCertificate(dir.resolve(CA_CERT), ca, WriteMode.REPLACE);
        PemFiles.writeCertificate(dir.resolve(SERVER_CERT), certificate, WriteMode.REPLACE);
        PemFiles.writeCertificate(dir.resolve(CLIENT_CERT), certificate, WriteMode.REPLACE);
    }
}

package dev.ferry.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * What {@link ClusterCa#issue} hands back: the identity's name, the directory it was written to
 * (the QEMU layout of {@link IdentityLayout}) and the new certificate. The private key is
 * deliberately not part of it; it lives only in the 0600 files of {@code dir}, from which
 * {@link #load()} reads it when the caller actually needs TLS.
 */
public record IssuedIdentity(String name, Path dir, X509Certificate certificate) {
    public IssuedIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(certificate, "certificate");
    }

    public String fingerprintSha256() {
        return Fingerprints.sha256(certificate);
    }

    /** Loads the written directory as a {@link TlsIdentity}. */
    public TlsIdentity load() {
        return TlsIdentity.load(dir);
    }
}

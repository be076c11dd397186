package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Certificate fingerprints in the one format Ferry shows to operators and stores: SHA-256 of the
 * DER encoding, uppercase hex pairs separated by colons ({@code AB:CD:...}), the format of
 * {@code openssl x509 -fingerprint -sha256} and {@code certtool -i}, so values can be compared by eye
 * with what those tools print.
 */
public final class Fingerprints {
    private static final HexFormat FORMAT = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {}

    public static String sha256(X509Certificate certificate) {
        try {
            return FORMAT.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot compute the fingerprint of a certificate", e);
        }
    }
}

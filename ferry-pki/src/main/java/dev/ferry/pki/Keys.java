package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * Key material for the cluster PKI. All keys are ECDSA on NIST P-256 (secp256r1): the curve that
 * both the JDK's TLS stack and GnuTLS, which QEMU uses for migration and NBD TLS, support in TLS 1.2
 * and 1.3, with small keys and fast handshakes. Keys come from the JDK's own provider, so no
 * security provider is ever registered globally. This class also proves that a private key read
 * from disk belongs to a certificate, so a mixed-up directory fails when it is loaded rather than
 * at the first handshake.
 */
final class Keys {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, "this JDK cannot generate P-256 keys", e);
        }
    }

    /** Fails with {@link ErrorCode#INVALID_STATE} unless {@code key} is the private half of {@code publicKey}. */
    static void requireMatch(PrivateKey key, Path keyFile, PublicKey publicKey, Path certFile) {
        if (!matches(key, publicKey)) {
            throw new FerryException(ErrorCode.INVALID_STATE,
                    "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new FerryException(ErrorCode.INVALID_STATE,
                    "unsupported key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

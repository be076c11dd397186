package dev.ferry.pki;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes the PEM files of Ferry's PKI: certificates (world-readable, 0644) and
 * unencrypted PKCS#8 private keys (owner-only, 0600), plus the owner-only (0700) directories that
 * hold them. Every file is created with its final permissions already in place, through a
 * {@code PosixFilePermissions} attribute on creation, so there is never a moment in which a key is
 * readable by others; replacing a file goes through a fresh temporary file and an atomic rename.
 * EC keys are written with their public point embedded, the form OpenSSL writes, because GnuTLS
 * (QEMU's TLS library) cannot use an EC key without it. All failures become {@link FerryException}s
 * whose message names the file concerned.
 */
public final class PemFiles {
    /** What to do when the target file already exists. */
    public enum WriteMode {
        /** Refuse with {@link ErrorCode#INVALID_STATE}; the existing file is left untouched. */
        CREATE_NEW,
        /** Replace it atomically: readers see either the old or the new content, never a mix. */
        REPLACE
    }

    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MAX_PEM_BYTES = 1 << 20;

    private PemFiles() {}

    /** Reads the first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        Object object = readFirstPemObject(file, "a certificate");
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new FerryException(ErrorCode.INVALID_STATE,
                    file + " does not hold a certificate but " + describe(object));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new FerryException(ErrorCode.INVALID_STATE, file + " holds an unreadable certificate", e);
        }
    }

    /** Reads an unencrypted private key (PKCS#8 {@code PRIVATE KEY}, or a traditional RSA/EC key). */
    public static PrivateKey readPrivateKey(Path file) {
        Object object = readFirstPemObject(file, "a private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            if (object instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_STATE, file + " holds an unreadable private key", e);
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            throw new FerryException(ErrorCode.INVALID_STATE,
                    file + " holds an encrypted private key; Ferry needs it unencrypted");
        }
        throw new FerryException(ErrorCode.INVALID_STATE,
                file + " does not hold a private key but " + describe(object));
    }

    /** Writes a certificate as PEM, readable by everyone (0644). */
    public static void writeCertificate(Path file, X509Certificate certificate, WriteMode mode) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot encode the certificate for " + file, e);
        }
        write(file, pem("CERTIFICATE", der), PUBLIC_FILE, mode);
    }

    /** Writes a private key as unencrypted PKCS#8 PEM ({@code PRIVATE KEY}), readable only by the owner (0600). */
    public static void writePrivateKey(Path file, PrivateKey key, WriteMode mode) {
        write(file, pem("PRIVATE KEY", pkcs8(key)), PRIVATE_FILE, mode);
    }

    /**
     * Makes sure {@code dir} is a directory; if it does not exist it is created owner-only (0700),
     * together with any missing parents (those with default permissions). An existing directory is
     * used as it is.
     */
    public static void createPrivateDirectory(Path dir) {
        if (Files.isDirectory(dir)) return;
        if (Files.exists(dir)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, dir + " exists and is not a directory");
        }
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, dir + " exists and is not a directory");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw failure("create directory", dir, e);
        }
    }

    /** Turns an I/O failure on {@code file} into a one-line {@link FerryException}. */
    static FerryException failure(String action, Path file, Exception e) {
        if (e instanceof NoSuchFileException) {
            return new FerryException(ErrorCode.NOT_FOUND, "cannot " + action + " " + file + ": no such file or directory", e);
        }
        String reason;
        if (e instanceof AccessDeniedException) reason = "permission denied";
        else if (e instanceof UnsupportedOperationException) reason = "the file system does not support POSIX permissions";
        else if (e instanceof FileSystemException fse && fse.getReason() != null) reason = fse.getReason();
        else if (e.getMessage() != null && !e.getMessage().equals(file.toString())) reason = e.getMessage();
        else reason = e.getClass().getSimpleName();
        return new FerryException(ErrorCode.IO_ERROR, "cannot " + action + " " + file + ": " + reason, e);
    }

    private static Object readFirstPemObject(Path file, String what) {
        String text;
        try {
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new FerryException(ErrorCode.INVALID_STATE, file + " is too large to be a PEM file (expected " + what + ")");
            }
            // Latin-1 decodes any bytes, so binary garbage reaches the PEM parser and is reported as such.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new FerryException(ErrorCode.NOT_FOUND, file + " does not exist", e);
        } catch (IOException e) {
            throw failure("read", file, e);
        }
        Object object;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            object = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new FerryException(ErrorCode.INVALID_STATE, file + " is not a valid PEM file (expected " + what + ")", e);
        }
        if (object == null) {
            throw new FerryException(ErrorCode.INVALID_STATE, file + " holds no PEM data (expected " + what + ")");
        }
        return object;
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof X509CertificateHolder) return "a certificate";
        if (pemObject instanceof PrivateKeyInfo || pemObject instanceof PEMKeyPair) return "a private key";
        if (pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair) {
            return "an encrypted private key";
        }
        return "some other PEM object";
    }

    private static byte[] pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The key's PKCS#8 encoding; for an EC key without its public point, the point is added. */
    private static byte[] pkcs8(PrivateKey key) {
        try {
            byte[] encoded = key.getEncoded();
            if (encoded == null) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the private key cannot be exported");
            }
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
            AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) return encoded;
            org.bouncycastle.asn1.sec.ECPrivateKey ec =
                    org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            if (ec.getPublicKey() != null) return encoded;
            X9ECParameters curve = ECNamedCurveTable.getByOID(
                    ASN1ObjectIdentifier.getInstance(algorithm.getParameters()));
            if (curve == null) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the EC private key does not use a named curve");
            }
            BigInteger d = ec.getKey();
            byte[] point = curve.getG().multiply(d).normalize().getEncoded(false);
            org.bouncycastle.asn1.sec.ECPrivateKey withPublic = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    curve.getN().bitLength(), d, new DERBitString(point), null);
            return new PrivateKeyInfo(algorithm, withPublic).getEncoded();
        } catch (IOException | IllegalArgumentException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the private key cannot be encoded as PKCS#8", e);
        }
    }

    private static void write(Path file, byte[] content, Set<PosixFilePermission> perms, WriteMode mode) {
        if (mode == WriteMode.CREATE_NEW) {
            try {
                writeNewFile(file, content, perms);
            } catch (FileAlreadyExistsException e) {
                throw new FerryException(ErrorCode.INVALID_STATE, file + " already exists; refusing to overwrite it", e);
            } catch (IOException | UnsupportedOperationException e) {
                throw failure("write", file, e);
            }
            return;
        }
        Path temp = file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
        try {
            writeNewFile(temp, content, perms);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw failure("write", file, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: the temporary file is owner-only and named after its target
            }
        }
    }

    private static void writeNewFile(Path file, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        boolean created = false;
        try (FileChannel channel = FileChannel.open(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(perms))) {
            created = true;
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            if (created) Files.deleteIfExists(file);
            throw e;
        }
    }
}

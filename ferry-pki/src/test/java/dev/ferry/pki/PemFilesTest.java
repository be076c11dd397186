package dev.ferry.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.pki.PemFiles.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    @TempDir Path tmp;

    private final KeyPair keys = Keys.generate();
    private final X509Certificate cert = CertificateTemplates.clusterCa("test", keys, Instant.now(), Duration.ofDays(1));

    @Test
    void keysAreWrittenOwnerOnlyAsPkcs8WithThePublicPointAndReadBack() throws Exception {
        Path file = tmp.resolve("key.pem");
        PemFiles.writePrivateKey(file, keys.getPrivate(), WriteMode.CREATE_NEW);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        byte[] der;
        try (PemReader reader = new PemReader(Files.newBufferedReader(file))) {
            der = reader.readPemObject().getContent();
        }
        ECPrivateKey ec = ECPrivateKey.getInstance(PrivateKeyInfo.getInstance(der).parsePrivateKey());
        assertThat(ec.getPublicKey()).as("GnuTLS needs the public point").isNotNull();

        PrivateKey read = PemFiles.readPrivateKey(file);
        Keys.requireMatch(read, file, keys.getPublic(), file);
    }

    @Test
    void certificatesAreWrittenWorldReadableAndReadBack() throws Exception {
        Path file = tmp.resolve("cert.pem");
        PemFiles.writeCertificate(file, cert, WriteMode.CREATE_NEW);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(PemFiles.readCertificate(file)).isEqualTo(cert);
    }

    @Test
    void createNewRefusesAnExistingFileAndLeavesItAlone() throws Exception {
        Path file = tmp.resolve("key.pem");
        Files.writeString(file, "precious");

        assertThatThrownBy(() -> PemFiles.writePrivateKey(file, keys.getPrivate(), WriteMode.CREATE_NEW))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void replaceSwapsTheFileAndStillGivesOwnerOnlyPermissions() throws Exception {
        Path file = tmp.resolve("key.pem");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        PemFiles.writePrivateKey(file, keys.getPrivate(), WriteMode.REPLACE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        try (var entries = Files.list(tmp)) {
            assertThat(entries).as("no temporary files left behind").containsExactly(file);
        }
    }

    @Test
    void privateDirectoriesAreCreatedOwnerOnly() throws Exception {
        Path dir = tmp.resolve("a/b");
        PemFiles.createPrivateDirectory(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        PemFiles.createPrivateDirectory(dir); // existing: fine
    }

    @Test
    void aMissingFileIsNotFoundAndNamed() {
        Path file = tmp.resolve("nope.pem");
        assertThatThrownBy(() -> PemFiles.readCertificate(file))
                .isInstanceOf(FerryException.class)
                .hasMessage(file + " does not exist")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void garbledOrWrongContentIsReportedWithTheFileName() throws Exception {
        Path garbled = tmp.resolve("garbled.pem");
        Files.writeString(garbled, "-----BEGIN CERTIFICATE-----\nnot base64 !!!\n-----END CERTIFICATE-----\n");
        Path binary = tmp.resolve("binary.pem");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "hello\n");
        Path certInsteadOfKey = tmp.resolve("cert.pem");
        PemFiles.writeCertificate(certInsteadOfKey, cert, WriteMode.CREATE_NEW);

        assertThatThrownBy(() -> PemFiles.readCertificate(garbled))
                .isInstanceOf(FerryException.class).hasMessageStartingWith(garbled + " ")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
        assertThatThrownBy(() -> PemFiles.readCertificate(binary))
                .isInstanceOf(FerryException.class).hasMessage(binary + " holds no PEM data (expected a certificate)");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(empty))
                .isInstanceOf(FerryException.class).hasMessage(empty + " holds no PEM data (expected a private key)");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(certInsteadOfKey))
                .isInstanceOf(FerryException.class)
                .hasMessage(certInsteadOfKey + " does not hold a private key but a certificate");
    }
}

package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.error.ExitCodes;
import dev.ferry.pki.TlsIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry pki init} and {@code ferry pki issue}: the files they write, their permissions, and their refusals. */
class PkiCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initCreatesTheCaWithAPrivateKeyAndRefusesToRunTwice() throws Exception {
        Path ca = tmp.resolve("ca");

        Cli.Result r = Cli.run("pki", "init", "--dir", ca.toString(), "--cluster-name", "lab").assertOk();

        assertThat(r.out()).startsWith("created cluster CA in " + ca).contains("fingerprint");
        assertThat(ca.resolve("ca-cert.pem")).isRegularFile();
        assertThat(perms(ca.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(perms(ca)).isEqualTo("rwx------");
        byte[] key = Files.readAllBytes(ca.resolve("ca-key.pem"));

        Cli.run("pki", "init", "--dir", ca.toString()).assertError(ExitCodes.CONFLICT, "INVALID_STATE");
        assertThat(Files.readAllBytes(ca.resolve("ca-key.pem"))).as("the CA key is untouched").isEqualTo(key);
    }

    @Test
    void issueWritesAnIdentityQemuAndFerryCanUse() throws Exception {
        Path ca = tmp.resolve("ca");
        Cli.run("pki", "init", "--dir", ca.toString()).assertOk();
        Path out = tmp.resolve("host-1");

        Cli.Result r = Cli.run("pki", "issue", "--ca", ca.toString(), "--name", "host-1", "--ip", "127.0.0.1",
                "--dns", "localhost", "--out", out.toString()).assertOk();

        assertThat(r.out()).startsWith("issued host-1 in " + out);
        for (String key : List.of("server-key.pem", "client-key.pem")) assertThat(perms(out.resolve(key))).as(key).isEqualTo("rw-------");
        for (String cert : List.of("ca-cert.pem", "server-cert.pem", "client-cert.pem")) assertThat(out.resolve(cert)).isRegularFile();
        TlsIdentity id = TlsIdentity.load(out);
        assertThat(id.commonName()).isEqualTo("host-1");
        X509Certificate cert = id.certificate();
        assertThat(cert.getSubjectAlternativeNames()).extracting(san -> String.valueOf(san.get(1)))
                .contains("127.0.0.1", "localhost");

        Cli.run("pki", "issue", "--ca", ca.toString(), "--name", "admin").assertOk();
        assertThat(perms(ca.resolve("admin/server-key.pem"))).as("default --out is CA_DIR/NAME").isEqualTo("rw-------");
    }

    @Test
    void issueRefusesBadInputWithUsageOrNotFound() {
        Path ca = tmp.resolve("ca");
        Cli.run("pki", "init", "--dir", ca.toString()).assertOk();

        Cli.run("pki", "issue", "--ca", ca.toString(), "--name", "h", "--ip", "999.1.1.1").assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run("pki", "issue", "--ca", ca.toString(), "--name", "Bad Name").assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        Cli.run("pki", "issue", "--ca", tmp.resolve("nope").toString(), "--name", "h").assertError(ExitCodes.NOT_FOUND, "NOT_FOUND");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Cli.Result r = Cli.run("pki", "init");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required option: '--dir=<dir>'").doesNotContain("\tat ");
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

package dev.ferry.agent.testing;

import dev.ferry.pki.ClusterCa;
import dev.ferry.pki.TlsIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A throw-away cluster PKI in one directory: a CA ({@code ca/}), host identities issued on demand
 * for 127.0.0.1 and localhost ({@code hosts/NAME/}), an {@code admin} client ({@code admin/}), and
 * a second, unrelated CA with its own {@code admin} client ({@code foreign-admin/}) that a Ferry
 * agent must refuse. Issuing P-256 certificates takes milliseconds.
 */
public final class TestPki {
    public static final String CLIENT_NAME = "admin";

    private final Path dir;
    private final ClusterCa ca;
    private final ClusterCa foreignCa;

    private TestPki(Path dir, ClusterCa ca, ClusterCa foreignCa) {
        this.dir = dir;
        this.ca = ca;
        this.foreignCa = foreignCa;
    }

    /** Creates the CAs and client identities in {@code dir} (which must not hold a CA yet). */
    public static TestPki create(Path dir) {
        ClusterCa ca = ClusterCa.init(dir.resolve("ca"), "ferry-test");
        // Same cluster name as the real CA, so only the signature tells the two apart.
        ClusterCa foreign = ClusterCa.init(dir.resolve("foreign-ca"), "ferry-test");
        ca.issue(CLIENT_NAME, null, null, dir.resolve(CLIENT_NAME));
        foreign.issue(CLIENT_NAME, null, null, dir.resolve("foreign-" + CLIENT_NAME));
        return new TestPki(dir, ca, foreign);
    }

    public Path dir() { return dir; }

    public ClusterCa ca() { return ca; }

    public Path caDir() { return ca.dir(); }

    /** The identity directory of host {@code name} (valid for 127.0.0.1 and localhost), issued on first use. */
    public synchronized Path hostDir(String name) {
        Path out = dir.resolve("hosts").resolve(name);
        if (!Files.exists(out.resolve("server-cert.pem"))) ca.issue(name, List.of("127.0.0.1"), List.of("localhost"), out);
        return out;
    }

    /** The {@code admin} client's identity directory (what {@code --tls-dir} takes). */
    public Path clientDir() { return dir.resolve(CLIENT_NAME); }

    public TlsIdentity client() { return TlsIdentity.load(clientDir()); }

    /** TLS context of the {@code admin} client: its certificate, trusting only this cluster's CA. */
    public SSLContext clientSsl() { return client().sslContext(); }

    /** A client identity issued by the foreign CA; its own trust store trusts only the foreign CA. */
    public Path foreignClientDir() { return dir.resolve("foreign-" + CLIENT_NAME); }

    public TlsIdentity foreignClient() { return TlsIdentity.load(foreignClientDir()); }
}

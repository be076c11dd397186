package dev.ferry.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that QEMU's GnuTLS accepts what {@link ClusterCa#issue} writes: QEMU loads and
 * sanity-checks a {@code tls-creds-x509} directory when the object is created (chain to the CA,
 * key matches certificate, key usage and purpose, validity) and exits if anything is wrong. Beyond
 * loading, it runs real mutual-TLS handshakes between QEMU and the JDK in both directions, using a
 * TLS chardev carrying a QMP monitor: reading the QMP greeting over TLS shows that both sides
 * accepted each other's certificate.
 */
@Tag("qemu")
class QemuTlsCompatibilityTest {
    private static final String QEMU = "qemu-system-x86_64";
    private static final int TIMEOUT_MS = 15_000;

    @TempDir static Path tmp;

    private static String qemu;
    private static ClusterCa ca;
    private static Path hostDir;
    private static Path agentDir;

    @BeforeAll
    static void setUp() {
        qemu = findOnPath(QEMU);
        ca = ClusterCa.init(tmp.resolve("ca"), "prod");
        hostDir = ca.issue("host-1", List.of("127.0.0.1"), List.of("localhost"), tmp.resolve("host-1")).dir();
        agentDir = ca.issue("agent-1", List.of("127.0.0.1"), null, tmp.resolve("agent-1")).dir();
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "client"})
    void qemuLoadsTheIssuedDirectory(String endpoint) throws Exception {
        try (Qemu vm = Qemu.start(qemu, tmp, tlsCreds("tls0", hostDir, endpoint))) {
            vm.command("{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/objects/tls0\",\"property\":\"endpoint\"}}");
            assertThat(vm.readLine()).isEqualTo("{\"return\": \"" + endpoint + "\"}");
            vm.quit();
        }
    }

    @Test
    void qemuRefusesADirectoryWhoseKeyDoesNotMatch() throws Exception {
        // Control for the test above: QEMU really checks the files when the object is created.
        Path broken = tmp.resolve("broken");
        ca.issue("broken", null, null, broken);
        Files.copy(agentDir.resolve("server-key.pem"), broken.resolve("server-key.pem"), StandardCopyOption.REPLACE_EXISTING);

        String stderr = Qemu.runToFailure(qemu, tmp, tlsCreds("tls0", broken, "server"));

        assertThat(stderr).contains("Cannot load certificate").contains("do not match");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJavaClientOfTheClusterTalksToQemuAsTlsServer(String protocol) throws Exception {
        int port = freePort();
        try (Qemu vm = Qemu.start(qemu, tmp, tlsCreds("tls0", hostDir, "server"),
                "-chardev", "socket,id=mon0,host=127.0.0.1,port=" + port + ",server=on,wait=off,tls-creds=tls0",
                "-mon", "chardev=mon0,mode=control")) {
            try (SSLSocket socket = connect(TlsIdentity.load(agentDir).sslContext(), port, protocol)) {
                assertThat(readLine(socket)).as("QMP greeting over TLS").startsWith("{\"QMP\":");
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getPeerPrincipal().getName()).isEqualTo("CN=host-1,O=prod");
            }
            vm.quit();
        }
    }

    @Test
    void qemuAsTlsServerRefusesJavaClientsWithoutACertificateOfTheCluster() throws Exception {
        ClusterCa otherCa = ClusterCa.init(tmp.resolve("other-ca"), "prod");
        TlsIdentity impostor = otherCa.issue("agent-1", List.of("127.0.0.1"), null, tmp.resolve("impostor")).load();
        int port = freePort();
        try (Qemu vm = Qemu.start(qemu, tmp, tlsCreds("tls0", hostDir, "server"),
                "-chardev", "socket,id=mon0,host=127.0.0.1,port=" + port + ",server=on,wait=off,tls-creds=tls0",
                "-mon", "chardev=mon0,mode=control")) {
            assertThat(greetingOrNull(trustingClusterPresenting(null), port)).as("client without certificate").isNull();
            assertThat(greetingOrNull(trustingClusterPresenting(impostor), port)).as("client of another CA").isNull();
            // Control: QEMU was listening all along and still serves a client of the cluster.
            assertThat(greetingOrNull(TlsIdentity.load(agentDir).sslContext(), port)).startsWith("{\"QMP\":");
            vm.quit();
        }
    }

    /** A client context that trusts the cluster CA but authenticates as {@code presented}, or not at all. */
    private static SSLContext trustingClusterPresenting(TlsIdentity presented) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TlsIdentity.load(agentDir).trustStore());
        KeyManager[] keys = new KeyManager[0];
        if (presented != null) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            char[] password = "pw".toCharArray();
            factory.init(presented.keyStore(password), password);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private static String greetingOrNull(SSLContext context, int port) {
        try (SSLSocket socket = connect(context, port, "TLSv1.3")) {
            return readLine(socket);
        } catch (IOException refused) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void qemuAsTlsClientTalksToAJavaServerOfTheCluster(String protocol) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        SSLContext context = TlsIdentity.load(agentDir).sslContext();
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {protocol});
            listener.setSoTimeout(TIMEOUT_MS);
            // QEMU connects at start-up and checks the server's certificate against 127.0.0.1 (an IP SAN).
            try (Qemu vm = Qemu.start(qemu, tmp, tlsCreds("tls0", hostDir, "client"),
                    "-chardev", "socket,id=mon0,host=127.0.0.1,port=" + listener.getLocalPort() + ",server=off,tls-creds=tls0",
                    "-mon", "chardev=mon0,mode=control");
                 SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(TIMEOUT_MS);
                assertThat(readLine(socket)).as("QMP greeting over TLS").startsWith("{\"QMP\":");
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getPeerPrincipal().getName()).isEqualTo("CN=host-1,O=prod");
                vm.quit();
            }
        }
    }

    private static String tlsCreds(String id, Path dir, String endpoint) {
        return "tls-creds-x509,id=" + id + ",dir=" + dir + ",endpoint=" + endpoint + ",verify-peer=on";
    }

    private static SSLSocket connect(SSLContext context, int port, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setEnabledProtocols(new String[] {protocol});
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static String readLine(SSLSocket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String findOnPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return fail(program + " was not found on PATH; the tests tagged \"qemu\" need QEMU installed "
                + "(Debian: apt-get install qemu-system-x86)");
    }

    /** A QEMU without guest ({@code -machine none}) driven over QMP on its stdin/stdout. */
    private static final class Qemu implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final OutputStream in;
        private final Path stderr;

        private Qemu(Process process, Path stderr) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = process.getOutputStream();
            this.stderr = stderr;
        }

        /** Starts QEMU and waits for QMP to be ready, which is after every -object has been created. */
        static Qemu start(String qemu, Path tmp, String tlsObject, String... extra) throws IOException {
            Path stderr = Files.createTempFile(tmp, "qemu", ".err");
            List<String> command = new ArrayList<>(List.of(qemu, "-machine", "none", "-nodefaults", "-display", "none",
                    "-object", tlsObject, "-qmp", "stdio"));
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            Qemu vm = new Qemu(process, stderr);
            try {
                String greeting = vm.readLine();
                if (greeting == null || !greeting.startsWith("{\"QMP\":")) {
                    fail("QEMU did not start: " + vm.errors());
                }
                vm.command("{\"execute\":\"qmp_capabilities\"}");
                assertThat(vm.readLine()).isEqualTo("{\"return\": {}}");
                return vm;
            } catch (IOException | RuntimeException | AssertionError e) {
                vm.close();
                throw e;
            }
        }

        /** Runs QEMU expecting it to refuse to start; returns what it printed on stderr. */
        static String runToFailure(String qemu, Path tmp, String tlsObject) throws Exception {
            Path stderr = Files.createTempFile(tmp, "qemu", ".err");
            Process process = new ProcessBuilder(qemu, "-machine", "none", "-nodefaults", "-display", "none",
                    "-object", tlsObject, "-qmp", "stdio").redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            try {
                assertThat(process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)).as("QEMU exited").isTrue();
                assertThat(process.exitValue()).as("QEMU exit status").isNotZero();
                return Files.readString(stderr);
            } finally {
                process.destroyForcibly();
            }
        }

        void command(String json) throws IOException {
            in.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The next line from QMP that is not an asynchronous event. */
        String readLine() throws IOException {
            String line;
            do {
                line = out.readLine();
            } while (line != null && line.startsWith("{\"timestamp\""));
            return line;
        }

        void quit() throws Exception {
            command("{\"execute\":\"quit\"}");
            assertThat(process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)).as("QEMU quit").isTrue();
            assertThat(process.exitValue()).as("QEMU exit status, stderr: " + errors()).isZero();
            assertThat(errors()).as("QEMU stderr").isEmpty();
        }

        String errors() {
            try {
                return Files.readString(stderr).strip();
            } catch (IOException e) {
                return "(stderr unreadable: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

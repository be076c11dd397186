package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.qemu.launch.QemuCommandLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance case of safe image handling: a "raw" disk whose first bytes are a qcow2 header
 * naming a host file (outside every pool) as its backing file. Declared qcow2 it is refused before
 * qemu-img or QEMU open it; declared raw, QEMU opens it as raw only, the guest's disk starts with
 * the qcow2 header bytes, and the host file's contents (a unique marker) appear nowhere.
 */
@Tag("qemu")
@Timeout(120)
class HostileImageTest {
    static TestAgent agent;
    static AgentClient client;
    static Path secret;
    static String marker;
    static Path evil;

    @BeforeAll
    static void setUp() throws IOException {
        agent = TestAgent.start();
        client = agent.client();
        marker = "HOST-SECRET-" + UUID.randomUUID();
        Path host = Files.createDirectories(agent.dir().resolve("host-files"));
        secret = Files.writeString(host.resolve("secret.raw"), marker.repeat(4096 / marker.length() + 1));
        evil = agent.poolDir().resolve("evil.img");
        Files.write(evil, qcow2HeaderNaming(secret.toString()));
        try (var f = new java.io.RandomAccessFile(evil.toFile(), "rw")) {
            f.setLength(16 << 20); // a plausible raw disk: the header, then zeros
        }
    }

    @AfterAll
    static void tearDown() {
        if (agent != null) agent.close();
    }

    @Test
    void declaredQcow2IsRefusedBeforeAnythingOpensIt() {
        VmSpec spec = withDisk(TestGuest.spec("evil-q", 96, ""), new DiskSpec("data", evil.toString(), DiskFormat.QCOW2, null, null));

        FerryException e = catchThrowableOfType(FerryException.class, () -> client.define(spec));

        assertThat(e.code()).isEqualTo(ErrorCode.UNSAFE_IMAGE);
        assertThat(e.getMessage()).contains("disk 'data'", "backing file", secret.toString(), "outside its storage pool")
                .doesNotContain(marker);
        assertThat(client.list()).isEmpty();
        assertThat(agent.vmDir("evil-q")).doesNotExist();
    }

    @Test
    void declaredRawBootsAndTheGuestSeesTheHeaderNotTheHostFile() throws Exception {
        VmSpec spec = withDisk(TestGuest.spec("evil-r", 96, ""), new DiskSpec("data", evil.toString(), DiskFormat.RAW, null, null));
        client.define(spec);
        try {
            VmInfo info = client.start("evil-r");
            // What the guest reads from its disk, exactly: QEMU exports the guest device's own block node
            // (read-only, over NBD on a unix socket) and qemu-img copies it out.
            var qmp = agent.agent().vms().requireRunning("evil-r").qmp();
            Path sock = agent.dir().resolve("nbd.sock");
            Path seen = agent.dir().resolve("guest-view.raw");
            qmp.execute("nbd-server-start", Map.of("addr", Map.of("type", "unix", "data", Map.of("path", sock.toString()))));
            qmp.execute("block-export-add", Map.of("type", "nbd", "id", "peek", "node-name",
                    QemuCommandLine.diskNode(spec.disks().get(0)), "name", "peek", "writable", false));
            Process p = new ProcessBuilder("qemu-img", "convert", "-f", "raw", "-O", "raw",
                    "nbd+unix:///peek?socket=" + sock, seen.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            byte[] guestView = Files.readAllBytes(seen);
            assertThat(guestView).hasSize(16 << 20);
            assertThat(java.util.Arrays.copyOf(guestView, 4)).containsExactly(0x51, 0x46, 0x49, 0xfb); // "QFI\xfb": just data
            assertThat(new String(guestView, StandardCharsets.ISO_8859_1)).contains(secret.toString()).doesNotContain(marker);
            assertThat(openFiles(info.pid())).contains(evil.toRealPath().toString()).doesNotContain(secret.toString());
            assertThat(Files.readString(agent.vmDir("evil-r").resolve("serial.log"))).doesNotContain(marker);
        } finally {
            client.stop("evil-r", new StopRequest(0, true));
            client.delete("evil-r");
        }
    }

    private static List<String> openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "";
                }
            }).toList();
        }
    }

    private static VmSpec withDisk(VmSpec s, DiskSpec d) {
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(),
                List.of(d), s.nics(), s.serialLog());
    }

    /** The first cluster of a qcow2 v3 image whose backing file is {@code backing} (format raw). */
    static byte[] qcow2HeaderNaming(String backing) {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.putInt(0, 0x514649fb).putInt(4, 3).putInt(20, 16).putLong(24, 16 << 20).putInt(96, 4).putInt(100, 104);
        byte[] fmt = "raw".getBytes(StandardCharsets.US_ASCII);
        b.putInt(104, 0xe2792aca).putInt(108, fmt.length).put(112, fmt);
        b.putInt(120, 0).putInt(124, 0);
        byte[] name = backing.getBytes(StandardCharsets.UTF_8);
        b.putLong(8, 128).putInt(16, name.length).put(128, name);
        return b.array();
    }
}

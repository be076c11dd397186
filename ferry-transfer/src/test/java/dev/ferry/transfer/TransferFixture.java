package dev.ferry.transfer;

import dev.ferry.api.spec.DiskFormat;
import dev.ferry.pki.ClusterCa;
import dev.ferry.pki.TlsIdentity;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;

/** Two "hosts" on loopback, each with a pool and a certificate of one throw-away cluster CA. */
final class TransferFixture {
    final Path poolA;
    final Path poolB;
    final SSLContext sslA;
    final SSLContext sslB;
    final QemuImg qemuImg = QemuImg.system();

    TransferFixture(Path dir) throws IOException {
        ClusterCa ca = ClusterCa.init(dir.resolve("ca"), "transfer-test");
        ca.issue("host-a", List.of("127.0.0.1"), List.of("localhost"), dir.resolve("host-a"));
        ca.issue("host-b", List.of("127.0.0.1"), List.of("localhost"), dir.resolve("host-b"));
        sslA = TlsIdentity.load(dir.resolve("host-a")).sslContext();
        sslB = TlsIdentity.load(dir.resolve("host-b")).sslContext();
        poolA = Files.createDirectories(dir.resolve("pool-a"));
        poolB = Files.createDirectories(dir.resolve("pool-b"));
    }

    DiskReceiver receiver(String id, String name, DiskFormat format) {
        return DiskReceiver.open(new DiskReceiver.Config(id, poolB.resolve(name), format, sslB, "127.0.0.1", qemuImg, 30_000));
    }

    SourceImage source(Path image, DiskFormat format, int window) {
        ImageInspector.Report r = new ImageInspector(List.of(poolA)).inspectAndCrossCheck(image, format, qemuImg);
        return SourceImage.open(r, qemuImg, window, poolA);
    }

    DiskSender sender(DiskReceiver r, int port, SourceImage s, DiskSender.Options o) {
        return new DiskSender(sslA, "127.0.0.1", port, r.token(), s, o, new TransferProgress("t", "send", s.path().toString()));
    }

    /**
     * A sparse raw image of {@code sizeMiB} in which {@code dataPercent}% of the 64 KiB blocks hold
     * random data and {@code zeroPercent}% hold written (allocated) zeros; the rest are holes.
     */
    static Path sparseImage(Path file, int sizeMiB, int dataPercent, int zeroPercent, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] block = new byte[64 << 10];
        byte[] zeros = new byte[64 << 10];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) sizeMiB << 20);
            int blocks = sizeMiB * 16;
            for (int i = 0; i < blocks; i++) {
                int roll = r.nextInt(100);
                if (roll < dataPercent) {
                    r.nextBytes(block);
                    f.seek((long) i << 16);
                    f.write(block);
                } else if (roll < dataPercent + zeroPercent) {
                    f.seek((long) i << 16);
                    f.write(zeros);
                }
            }
        }
        return file;
    }

    /** Bytes the file occupies on disk (st_blocks * 512). */
    static long allocated(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return Long.parseLong(out) * 512;
    }

    static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] hay = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    }
}

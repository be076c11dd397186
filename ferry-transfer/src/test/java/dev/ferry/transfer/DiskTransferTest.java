package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.transfer.TransferStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real transfers over mutual TLS on loopback between a sender and a receiver with separate pools,
 * on small sparse images (64 MiB virtual), checked against the source byte for byte.
 */
@Timeout(120)
class DiskTransferTest {
    @TempDir Path dir;
    TransferFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new TransferFixture(dir);
    }

    @Test
    void sparseRawCopySendsOnlyNonZeroDataAndLeavesHolesOnTheReceiver() throws Exception {
        // 10% random data, 10% written zeros (allocated on disk, but zeros), 80% holes.
        Path src = TransferFixture.sparseImage(fx.poolA.resolve("src.img"), 64, 10, 10, 1);
        long allocated = TransferFixture.allocated(src);
        try (DiskReceiver r = fx.receiver("t1", "copy.img", DiskFormat.RAW); SourceImage s = fx.source(src, DiskFormat.RAW, 1 << 20)) {
            DiskSender sender = fx.sender(r, r.port(), s, DiskSender.Options.defaults());

            String digest = sender.run();

            TransferStatus st = sender.progress().status();
            TransferStatus rs = r.progress().status();
            System.out.printf("MEASURED sparse raw 64 MiB: allocated %d, data sent %d, wire %d, receiver wrote %d%n",
                    allocated, st.dataBytes(), st.wireBytes(), rs.dataBytes());
            assertThat(st.wireBytes()).as("bytes on the wire vs allocated").isLessThan(allocated);
            assertThat(st.wireBytes()).isLessThan((long) (st.dataBytes() * 1.01) + 64 * 1024);
            assertThat(rs.state()).isEqualTo("done");
            assertThat(rs.digest()).isEqualTo(digest).isEqualTo(st.digest());
            Path copy = fx.poolB.resolve("copy.img");
            assertThat(Files.mismatch(src, copy)).isEqualTo(-1L);
            assertThat(TransferFixture.allocated(copy)).as("receiver allocation").isLessThanOrEqualTo(st.dataBytes() + (1 << 20));
            assertThat(fx.poolB.toFile().list()).containsExactly("copy.img"); // no partial files or journal left
        }
    }

    @Test
    void qcow2ChainToQcow2WithCompression() throws Exception {
        Path base = TransferFixture.sparseImage(fx.poolA.resolve("base.raw"), 64, 20, 0, 2);
        Path top = fx.poolA.resolve("top.qcow2");
        TransferFixture.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", top.toString());
        TransferFixture.run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 8M 3M", "-c", "write -z 16M 1M",
                "-c", "write -c -P 0x33 40M 64k", top.toString()); // plain, zeroed and compressed clusters over the backing file
        try (DiskReceiver r = fx.receiver("t2", "copy.qcow2", DiskFormat.QCOW2);
             SourceImage s = fx.source(top, DiskFormat.QCOW2, 4 << 20)) {
            DiskSender sender = fx.sender(r, r.port(), s, DiskSender.Options.defaults().withCompress(true));

            String digest = sender.run();

            assertThat(r.progress().status().digest()).isEqualTo(digest);
            Path copy = fx.poolB.resolve("copy.qcow2");
            TransferFixture.run("qemu-img", "compare", "-q", "-f", "qcow2", "-F", "qcow2", top.toString(), copy.toString());
            assertThat(fx.qemuImg.info(copy, DiskFormat.QCOW2).has("backing-filename")).isFalse(); // a standalone image
            assertThat(ImageDigest.hex(ImageDigests.of(copy, DiskFormat.QCOW2, fx.poolB, fx.qemuImg, null))).isEqualTo(digest);
        }
    }

    @Test
    void interruptedCopyResumesWithoutStartingOverAndTheDigestMatches() throws Exception {
        Path src = TransferFixture.sparseImage(fx.poolA.resolve("src.img"), 64, 50, 0, 3);
        try (DiskReceiver r = fx.receiver("t3", "copy.img", DiskFormat.RAW); SourceImage s = fx.source(src, DiskFormat.RAW, 1 << 20);
             CuttingProxy proxy = new CuttingProxy(r.port(), 12 << 20)) {
            DiskSender sender = fx.sender(r, proxy.port(), s, DiskSender.Options.defaults().withRetry(3, Duration.ofMillis(200)));

            String digest = sender.run();

            TransferStatus st = sender.progress().status();
            System.out.printf("MEASURED resume: %s%n", st);
            assertThat(proxy.connections.get()).isEqualTo(2);
            assertThat(st.reconnects()).isEqualTo(1);
            assertThat(st.chunksSkipped()).as("chunks the receiver already had").isGreaterThan(5);
            long windows = s.windowOffsets().size();
            assertThat(st.chunksSent()).as("chunks sent in both connections").isLessThan(windows + DiskSender.MAX_IN_FLIGHT + 1);
            assertThat(st.chunksSent() + st.chunksSkipped()).isGreaterThanOrEqualTo(windows);
            assertThat(r.progress().status().digest()).isEqualTo(digest);
            assertThat(Files.mismatch(src, fx.poolB.resolve("copy.img"))).isEqualTo(-1L);
        }
    }

    @Test
    void aNewReceiverOfTheSameTransferResumesFromTheJournal() throws Exception {
        Path src = TransferFixture.sparseImage(fx.poolA.resolve("src.img"), 64, 50, 0, 6);
        try (SourceImage s = fx.source(src, DiskFormat.RAW, 1 << 20)) {
            long halfway = s.windowOffsets().get(s.windowOffsets().size() / 2);
            DiskReceiver first = fx.receiver("t6", "copy.img", DiskFormat.RAW);
            // The receiving agent goes away halfway (its listener and connection close, as in a restart).
            ChunkFault stopReceiver = (offset, attempt, data) -> {
                if (offset == halfway) first.close();
                return data;
            };
            DiskSender doomed = fx.sender(first, first.port(), s, DiskSender.Options.defaults().withFault(stopReceiver)
                    .withRetry(1, Duration.ofMillis(100)));
            assertThat(catchThrowableOfType(FerryException.class, doomed::run)).isNotNull();
            assertThat(fx.poolB.resolve("copy.img")).doesNotExist();

            try (DiskReceiver second = fx.receiver("t6", "copy.img", DiskFormat.RAW)) { // same id: finds the journal
                DiskSender sender = fx.sender(second, second.port(), s, DiskSender.Options.defaults());
                String digest = sender.run();

                TransferStatus st = sender.progress().status();
                assertThat(st.chunksSkipped()).as("chunks the first receiver had journaled").isGreaterThan(5);
                assertThat(st.chunksSent() + st.chunksSkipped()).isEqualTo(s.windowOffsets().size());
                assertThat(second.progress().status().digest()).isEqualTo(digest);
                assertThat(Files.mismatch(src, fx.poolB.resolve("copy.img"))).isEqualTo(-1L);
            }
        }
    }

    @Test
    void corruptedChunkIsRefusedNeverWrittenAndSentAgain() throws Exception {
        Path src = TransferFixture.sparseImage(fx.poolA.resolve("src.img"), 64, 30, 0, 4);
        byte[] marker = "CORRUPTED-CHUNK-MARKER!".getBytes(StandardCharsets.US_ASCII);
        try (DiskReceiver r = fx.receiver("t4", "copy.img", DiskFormat.RAW); SourceImage s = fx.source(src, DiskFormat.RAW, 1 << 20)) {
            long victim = s.windowOffsets().get(s.windowOffsets().size() / 2);
            ChunkFault fault = (offset, attempt, data) -> {
                if (offset != victim || attempt > 0) return data;
                byte[] bad = new byte[data.length]; // same length, different bytes: only the checksum can tell
                for (int i = 0; i < bad.length; i++) bad[i] = marker[i % marker.length];
                return bad;
            };
            DiskSender sender = fx.sender(r, r.port(), s, DiskSender.Options.defaults().withFault(fault));

            String digest = sender.run();

            TransferStatus st = sender.progress().status();
            TransferStatus rs = r.progress().status();
            assertThat(rs.chunksRejected()).isEqualTo(1);
            assertThat(st.chunksRejected()).isEqualTo(1);
            assertThat(st.chunksSent()).isEqualTo(rs.chunksSent() + 1); // the refused one went twice, was written once
            assertThat(rs.dataBytes()).as("bytes written by the receiver").isEqualTo(st.dataBytes() - chunkBytes(s, victim));
            assertThat(rs.digest()).isEqualTo(digest);
            Path copy = fx.poolB.resolve("copy.img");
            assertThat(TransferFixture.contains(copy, Arrays.copyOf(marker, 16))).as("marker in the target").isFalse();
            assertThat(Files.mismatch(src, copy)).isEqualTo(-1L);
        }
    }

    @Test
    void wrongTokenIsRefusedAndNothingIsCreated() throws Exception {
        Path src = TransferFixture.sparseImage(fx.poolA.resolve("src.img"), 8, 10, 0, 5);
        try (DiskReceiver r = fx.receiver("t5", "copy.img", DiskFormat.RAW); SourceImage s = fx.source(src, DiskFormat.RAW, 1 << 20)) {
            DiskSender sender = new DiskSender(fx.sslA, "127.0.0.1", r.port(), "not-the-token", s, DiskSender.Options.defaults(),
                    new TransferProgress("t5", "send", src.toString()));
            FerryException e = catchThrowableOfType(FerryException.class, sender::run);
            assertThat(e.getMessage()).contains("wrong token");
            assertThat(fx.poolB.toFile().list()).isEmpty();
        }
    }

    private static long chunkBytes(SourceImage s, long window) throws Exception {
        return new WindowEncoder(s, false).encode(window, null).rawLength();
    }
}

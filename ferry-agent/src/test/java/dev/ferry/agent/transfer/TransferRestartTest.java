package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.ChildAgent;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.TransferClient;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.ReceiveTicket;
import dev.ferry.api.transfer.SendRequest;
import dev.ferry.api.transfer.TransferStatus;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Disk transfers across a receiving agent killed with SIGKILL (in a child JVM) while two disks
 * stream into it: the restarted agent still reports both, failed with AGENT_RESTARTED; one is
 * resumed under the same id (the sender skips what the receiver already had, and the copy equals
 * the source), the other is cancelled and leaves no partial image or journal behind.
 */
@Tag("qemu")
@Timeout(240)
class TransferRestartTest {
    private static final long CAP = 4L << 20;
    TestPki pki;
    TestAgent a;
    TestAgent b;

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (pki != null) TestDirs.deleteQuietly(pki.dir());
    }

    @Test
    void transfersOfAKilledReceiverAreReportedAndCanBeResumedOrCancelled() throws Exception {
        pki = TestPki.create(TestDirs.create("pki"));
        a = TestAgent.start(pki, "host-a");
        b = TestAgent.start(pki, "host-b");
        Path d1 = randomDisk(a.poolDir().resolve("one.img"), 64, 1);
        Path d2 = randomDisk(a.poolDir().resolve("two.img"), 64, 2);
        a.client().define(TestGuest.spec("vm", 96, "", d1, d2));
        ChildAgent child = b.handOverToChildJvm();
        TransferClient src = TransferClient.of(a.client());
        TransferClient dst = TransferClient.of(b.client());
        send(src, "vm", TestGuest.DATA_DISK_ID, dst.prepareReceive(new ReceiveRequest("t-resume", "default", "one.img", DiskFormat.RAW)), CAP);
        send(src, "vm", TestGuest.DATA_DISK_ID + "1", dst.prepareReceive(new ReceiveRequest("t-cancel", "default", "two.img", DiskFormat.RAW)), CAP);
        await(() -> dst.incoming("t-resume"), s -> s.doneBytes() >= 8L << 20);
        await(() -> dst.incoming("t-cancel"), s -> s.doneBytes() >= 8L << 20);

        child.kill9();
        src.cancelOutgoing("t-resume");
        src.cancelOutgoing("t-cancel");
        b.restart();

        for (String id : List.of("t-resume", "t-cancel")) {
            TransferStatus after = dst.incoming(id);
            assertThat(after.state()).isEqualTo("failed");
            assertThat(after.error()).contains("AGENT_RESTARTED", "resume");
        }
        assertThat(names(b.poolDir())).as("partial images and journals are kept for a resume").containsExactly(
                ".ferry-recv-t-cancel.journal", ".ferry-recv-t-cancel.raw", ".ferry-recv-t-resume.journal", ".ferry-recv-t-resume.raw");
        assertThat(dst.list()).extracting(TransferStatus::transferId).containsExactlyInAnyOrder("t-resume", "t-cancel");

        assertThat(dst.cancelIncoming("t-cancel").state()).isEqualTo("cancelled");
        assertThat(dst.incoming("t-cancel").state()).isEqualTo("cancelled");
        assertThat(names(b.poolDir())).as("cancelling deletes them").noneMatch(n -> n.contains("t-cancel"));

        await(() -> src.outgoing("t-resume"), TransferStatus::isFinished);
        send(src, "vm", TestGuest.DATA_DISK_ID, dst.prepareReceive(new ReceiveRequest("t-resume", "default", "one.img", DiskFormat.RAW)), null);
        TransferStatus sent = await(() -> src.outgoing("t-resume"), TransferStatus::isFinished);
        assertThat(sent.state()).as("%s", sent.error()).isEqualTo("done");
        assertThat(sent.chunksSkipped()).as("what the receiver kept is not sent again").isPositive();
        assertThat(dst.incoming("t-resume").state()).isEqualTo("done");
        assertThat(QemuImg.system().compare(d1, ImageFormat.RAW, b.poolDir().resolve("one.img"), ImageFormat.RAW, 60)).isTrue();
        assertThat(names(b.poolDir())).as("no partial image or journal is left").containsExactly("one.img");

        b.restart();
        assertThat(dst.incoming("t-resume").state()).as("a finished transfer is still reported").isEqualTo("done");
        assertThat(dst.incoming("t-cancel").state()).isEqualTo("cancelled");
    }

    private static void send(TransferClient src, String vm, String disk, ReceiveTicket t, Long cap) {
        src.sendDisk(vm, disk, new SendRequest(t.transferId(), t.address(), t.port(), t.token(), false, cap));
    }

    private static TransferStatus await(Supplier<TransferStatus> read, Predicate<TransferStatus> until) throws InterruptedException {
        TransferStatus s = read.get();
        for (int i = 0; i < 1200 && !until.test(s); i++) {
            Thread.sleep(100);
            s = read.get();
        }
        assertThat(until.test(s)).as("%s", s).isTrue();
        return s;
    }

    private static Path randomDisk(Path image, int sizeMiB, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(image)) {
            for (int i = 0; i < sizeMiB; i++) {
                random.nextBytes(block);
                o.write(block);
            }
        }
        return image.toAbsolutePath();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

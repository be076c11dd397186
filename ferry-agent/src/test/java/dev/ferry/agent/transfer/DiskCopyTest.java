package dev.ferry.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.TransferClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.transfer.ReceiveRequest;
import dev.ferry.api.transfer.ReceiveTicket;
import dev.ferry.api.transfer.SendRequest;
import dev.ferry.api.transfer.TransferStatus;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cold copy of a stopped VM's disk between two agents with separate pools, through the agents' API
 * the way the controller's cold migration calls it. No guest boots.
 */
@Tag("qemu") // the agents ask QEMU for its capabilities at start-up
@Timeout(120)
class DiskCopyTest {
    static TestPki pki;
    static TestAgent a;
    static TestAgent b;

    @BeforeAll
    static void start() {
        pki = TestPki.create(TestDirs.create("pki"));
        a = TestAgent.start(pki, "host-a");
        b = TestAgent.start(pki, "host-b");
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (pki != null) TestDirs.deleteQuietly(pki.dir());
    }

    @Test
    void copiesADiskOfAStoppedVmIntoAnotherHostsPoolAsQcow2() throws Exception {
        Path disk = TestGuest.createRawDisk(a.poolDir(), "vm1.img", 32);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            byte[] data = new byte[1 << 20];
            new Random(1).nextBytes(data);
            f.seek(3 << 20);
            f.write(data);
            f.seek(20 << 20);
            f.write(data, 0, 4096);
        }
        a.client().define(TestGuest.spec("vm1", 96, "", disk));

        TransferStatus done = TransferClient.copyDisk(a.client(), b.client(), "vm1", TestGuest.DATA_DISK_ID,
                new ReceiveRequest("copy-1", "default", "vm1-data.qcow2", DiskFormat.QCOW2), true, null, Duration.ofSeconds(60));

        Path copy = b.poolDir().resolve("vm1-data.qcow2");
        assertThat(done.path()).isEqualTo(copy.toString());
        assertThat(done.digest()).isEqualTo(TransferClient.of(a.client()).outgoing("copy-1").digest()).hasSize(64);
        assertThat(QemuImg.system().compare(disk, ImageFormat.RAW, copy, ImageFormat.QCOW2, 60)).isTrue();
        TransferStatus sent = TransferClient.of(a.client()).outgoing("copy-1");
        assertThat(sent.dataBytes()).isEqualTo((1 << 20) + 4096); // only the data, never the 31 MiB of holes
        assertThat(Files.list(b.poolDir()).map(p -> p.getFileName().toString())).containsExactly("vm1-data.qcow2");
        a.client().start("vm1"); // the lease was released: the VM may start again
        a.client().kill("vm1");
    }

    @Test
    void refusesARunningVmAndAnUnknownPool() {
        Path disk = TestGuest.createRawDisk(a.poolDir(), "vm2.img", 8);
        a.client().define(TestGuest.spec("vm2", 96, "", disk));
        a.client().start("vm2");
        try {
            FerryException running = catchThrowableOfType(FerryException.class, () -> TransferClient.of(a.client()).sendDisk("vm2",
                    TestGuest.DATA_DISK_ID, new SendRequest("copy-2", "127.0.0.1", 1, "t", false, null)));
            assertThat(running.code()).isEqualTo(ErrorCode.VM_RUNNING);
        } finally {
            a.client().kill("vm2");
        }
        FerryException pool = catchThrowableOfType(FerryException.class, () -> TransferClient.of(b.client())
                .prepareReceive(new ReceiveRequest("copy-3", "nope", "x.img", DiskFormat.RAW)));
        assertThat(pool.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        FerryException name = catchThrowableOfType(FerryException.class, () -> TransferClient.of(b.client())
                .prepareReceive(new ReceiveRequest("copy-4", "default", "../etc/x", DiskFormat.RAW)));
        assertThat(name.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        ReceiveTicket t1 = TransferClient.of(b.client()).prepareReceive(new ReceiveRequest("copy-5", "default", "y.img", DiskFormat.RAW));
        ReceiveTicket t2 = TransferClient.of(b.client()).prepareReceive(new ReceiveRequest("copy-5", "default", "y.img", DiskFormat.RAW));
        assertThat(t2).isEqualTo(t1); // idempotent while open
        assertThat(TransferClient.of(b.client()).cancelIncoming("copy-5").state()).isEqualTo("cancelled");
    }
}

package dev.ferry.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.testing.DiskCheck;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestDirs;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.agent.testing.TestPki;
import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.MoveDiskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Storage live migration on one host with a real guest whose disk worker writes all the time: the
 * disk moves to another pool and from raw to qcow2 while the guest runs (mirror + pivot), then,
 * stopped, back to the first pool as raw; a verify-only boot then finds every record intact.
 */
@Tag("qemu")
@Timeout(300)
class DiskMoveTest {
    private TestAgent agent;
    private Path fastPool;

    @BeforeEach
    void start() {
        Path dir = TestDirs.create("pki");
        fastPool = TestDirs.create("fast");
        agent = TestAgent.start(TestPki.create(dir), "host-1", c -> {
            List<AgentConfig.Pool> pools = new ArrayList<>(c.pools());
            pools.add(new AgentConfig.Pool("fast", fastPool.toString(), false));
            return new AgentConfig(c.name(), c.listen(), c.stateDir(), c.tlsDir(), c.qemuBinary(), c.accelerator(), c.probeGuest(),
                    c.migrationAddress(), pools, c.networks(), c.uefiFirmware());
        });
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        TestDirs.deleteQuietly(fastPool);
    }

    @Test
    void movesARunningDiskToAnotherPoolAndFormatWhileTheGuestWrites() {
        Path disk = TestGuest.createRawDisk(agent.poolDir(), "vm-move.img", 64);
        agent.client().define(TestGuest.spec("vm-move", 128, "ferry.disk=vda ferry.diskrate=200", disk));
        agent.client().start("vm-move");
        GuestHealth before = awaitDiskSeq("vm-move", 0);
        StorageClient storage = StorageClient.of(agent.client());

        MoveDiskResult live = storage.moveDisk("vm-move", "data", new MoveDiskRequest("fast", DiskFormat.QCOW2));

        System.out.printf("MEASURED live disk move raw->qcow2, 64 MiB, guest writing 200 records/s: %d ms%n", live.durationMs());
        assertThat(live.live()).isTrue();
        assertThat(live.after().pool()).isEqualTo("fast");
        assertThat(live.after().format()).isEqualTo(DiskFormat.QCOW2);
        assertThat(live.after().virtualSize()).isEqualTo(64L << 20);
        assertThat(live.oldImageDeleted()).as("note: %s", live.note()).isTrue();
        assertThat(Files.exists(disk)).isFalse();
        DiskSpec now = agent.client().show("vm-move").spec().disks().get(0);
        assertThat(now.path()).isEqualTo(live.after().path()).startsWith(fastPool.toString());
        assertThat(now.format()).isEqualTo(DiskFormat.QCOW2);
        GuestHealth after = awaitDiskSeq("vm-move", before.diskSeq() + 200);
        assertThat(after.ok()).as("guest health %s", after).isTrue();
        assertThatThrownBy(() -> storage.moveDisk("vm-move", "data", new MoveDiskRequest("fast", DiskFormat.QCOW2)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

        long lastSeq = DiskCheck.stopAndLastSeq(agent, "vm-move");
        MoveDiskResult offline = storage.moveDisk("vm-move", "data", new MoveDiskRequest("default", DiskFormat.RAW));
        System.out.printf("MEASURED offline disk move qcow2->raw, 64 MiB: %d ms%n", offline.durationMs());
        assertThat(offline.live()).isFalse();
        assertThat(offline.after().pool()).isEqualTo("default");
        assertThat(Files.exists(Path.of(live.after().path()))).isFalse();

        Map<String, Long> verify = DiskCheck.verify(agent, "vm-move-check", agent.client().show("vm-move").spec().disks().get(0));
        assertThat(verify).containsEntry("bad", 0L).containsEntry("missing", 0L).containsEntry("max_seq", lastSeq);
        assertThat(verify.get("records")).isPositive();
    }

    private GuestHealth awaitDiskSeq(String vm, long above) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.client().guestHealth(vm), h -> h.diskSeq() != null && h.diskSeq() > above);
    }
}

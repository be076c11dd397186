package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.GuestHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console parser against the line formats of guest/README.md, including growth and replacement. */
class SerialLogScanTest {
    @TempDir Path tmp;

    @Test
    void aMissingLogReportsNothingAndOk() throws IOException {
        GuestHealth h = new SerialLogScan(tmp.resolve("none.log")).update();

        assertThat(h).isEqualTo(new GuestHealth(null, null, null, null, 0, false, true, null, null, null, null));
    }

    @Test
    void readsTheLatestValuesOfAHealthyGuest() throws IOException {
        Path log = write("FERRY-GUEST-READY kernel=6.1 mem=64 disk=vda\r\n"
                + "HEARTBEAT n=1 up_ms=3100\r\nMEMORY-OK pass=1 pages=16384 corrupt=0\r\n"
                + "DISK-OK seq=50\r\nHEARTBEAT n=2 up_ms=3300\r\n");

        GuestHealth h = new SerialLogScan(log, () -> 1000L).update();

        assertThat(h).isEqualTo(new GuestHealth(2L, 3300L, 1L, 50L, 0, false, true, "HEARTBEAT n=2 up_ms=3300",
                1000L, 1000L, 200L));
    }

    @Test
    void countsCorruptionAndPanicsAndIgnoresAnUnfinishedLine() throws IOException {
        Path log = write("HEARTBEAT n=7 up_ms=1\r\n"
                + "MEMORY-CORRUPT page=3 expected_version=4 found=page:3,version:3,first_bad_offset:16,word:0x1\r\n"
                + "MEMORY-BAD pass=9 pages=1 corrupt=1\r\nDISK-CORRUPT slot=1 seq=2 reason=checksum\r\n"
                + "[    9.1] Kernel panic - not syncing: Fatal exception\r\nHEARTBEAT n=8");

        GuestHealth h = new SerialLogScan(log).update();

        assertThat(h.heartbeat()).as("the unterminated line does not count yet").isEqualTo(7L);
        assertThat(h.memoryPasses()).isEqualTo(9L);
        assertThat(h.corruptLines()).isEqualTo(3);
        assertThat(h.panicked()).isTrue();
        assertThat(h.ok()).isFalse();
    }

    @Test
    void aDiskVerifyWithLostOrBadRecordsIsCorruptionAndACleanOneIsNot() throws IOException {
        Path clean = write("DISK-VERIFY records=40 max_seq=40 bad=0 missing=0\r\nDISK-OK seq=41\r\n");
        Path lost = tmp.resolve("lost.log");
        Files.writeString(lost, "DISK-VERIFY records=38 max_seq=40 bad=0 missing=2\r\n", StandardCharsets.ISO_8859_1);

        assertThat(new SerialLogScan(clean).update().ok()).isTrue();
        GuestHealth h = new SerialLogScan(lost).update();
        assertThat(h.corruptLines()).isEqualTo(1);
        assertThat(h.ok()).isFalse();
    }

    @Test
    void readsOnlyWhatWasAppendedAndKeepsCountingOverTheWholeFile() throws IOException {
        Path log = write("DISK-CORRUPT slot=1 seq=2 reason=checksum\r\nHEARTBEAT n=1");
        SerialLogScan scan = new SerialLogScan(log);
        assertThat(scan.update().heartbeat()).isNull();

        Files.writeString(log, "2 up_ms=5\r\nHEARTBEAT n=13 up_ms=6\r\n", StandardOpenOption.APPEND);
        GuestHealth h = scan.update();

        assertThat(h.heartbeat()).as("the line completed by the append").isEqualTo(13L);
        assertThat(h.corruptLines()).isEqualTo(1);
        assertThat(h.ok()).isFalse();
    }

    @Test
    void startsOverWhenTheLogIsReplaced() throws IOException {
        Path log = write("MEMORY-BAD pass=1 pages=1 corrupt=1\r\nHEARTBEAT n=99 up_ms=1\r\n");
        SerialLogScan scan = new SerialLogScan(log, () -> 5L);
        assertThat(scan.update().ok()).isFalse();

        Files.delete(log);
        write("HEARTBEAT n=1 up_ms=1\r\n");

        assertThat(scan.update()).isEqualTo(new GuestHealth(1L, 1L, null, null, 0, false, true, "HEARTBEAT n=1 up_ms=1",
                5L, 5L, null));
    }

    @Test
    void startsOverWhenTheLogIsRewrittenInPlaceWithMoreContent() throws IOException {
        Path log = write("MEMORY-BAD pass=1 pages=1 corrupt=1\r\n");
        SerialLogScan scan = new SerialLogScan(log, () -> 7L);
        assertThat(scan.update().ok()).isFalse();

        write("HEARTBEAT n=1 up_ms=1\r\nHEARTBEAT n=2 up_ms=2\r\nHEARTBEAT n=3 up_ms=3\r\n"); // same inode, longer

        assertThat(scan.update()).isEqualTo(new GuestHealth(3L, 3L, null, null, 0, false, true, "HEARTBEAT n=3 up_ms=3",
                7L, 7L, 1L));
    }

    @Test
    void stampsWhenTheFirstAndTheLatestHeartbeatAppearedOnThisHost() throws IOException {
        long[] now = {100};
        Path log = write("HEARTBEAT n=41 up_ms=4000\r\n");
        SerialLogScan scan = new SerialLogScan(log, () -> now[0]);
        scan.update();

        now[0] = 350;
        Files.writeString(log, "HEARTBEAT n=42 up_ms=4100\r\n", StandardOpenOption.APPEND);
        GuestHealth h = scan.update();

        assertThat(h.firstHeartbeatSeenAtMs()).isEqualTo(100L);
        assertThat(h.lastHeartbeatSeenAtMs()).isEqualTo(350L);
        assertThat(h.heartbeatPeriodMs()).as("from the guest's own clock").isEqualTo(100L);
    }

    private Path write(String text) throws IOException {
        Path log = tmp.resolve("serial.log");
        Files.writeString(log, text, StandardCharsets.ISO_8859_1);
        return log;
    }
}

package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestConsoleTest {
    private static final String BOOT = """
            FERRY-GUEST-READY kernel=6.1.0-56-cloud-amd64 mem=64 disk=vda\r
            HEARTBEAT n=1 up_ms=2100\r
            HEARTBEAT n=2 up_ms=2200\r
            MEMORY-OK pass=0 pages=4943 corrupt=0\r
            DISK-OK seq=12\r
            HEARTBEAT n=3 up_ms=2300\r
            """;

    @TempDir
    Path tmp;

    @Test
    void readsReadyHeartbeatsAndSelfChecksFromCrlfLines() {
        GuestConsole.Snapshot s = GuestConsole.parse(BOOT);
        assertThat(s.ready()).isTrue();
        assertThat(s.readyLine()).isEqualTo("FERRY-GUEST-READY kernel=6.1.0-56-cloud-amd64 mem=64 disk=vda");
        assertThat(s.firstHeartbeat()).isEqualTo(1);
        assertThat(s.lastHeartbeat()).isEqualTo(3);
        assertThat(s.memoryOkLines()).isEqualTo(1);
        assertThat(s.lastMemoryOk()).isEqualTo("MEMORY-OK pass=0 pages=4943 corrupt=0");
        assertThat(s.lastDiskOk()).isEqualTo("DISK-OK seq=12");
        assertThat(s.healthy()).isTrue();
    }

    @Test
    void corruptionErrorsAndPanicsAreProblems() {
        GuestConsole.Snapshot s = GuestConsole.parse("""
                MEMORY-CORRUPT page=7 expected_version=3 found=page:7,version:2,first_bad_offset:16,word:0x0000000000000001
                MEMORY-BAD pass=2 pages=900 corrupt=1
                DISK-CORRUPT slot=3 seq=3 reason=checksum
                [   12.000000] Kernel panic - not syncing: Fatal exception
                FERRY-GUEST-WARN insmod=evdev failed
                """);
        assertThat(s.problems()).hasSize(4);
        assertThat(s.healthy()).isFalse();
    }

    @Test
    void readingFromAMarkSeesOnlyLaterCompleteLines() throws Exception {
        Path log = tmp.resolve("serial.log");
        assertThat(GuestConsole.mark(log)).isEqualTo(GuestConsole.Mark.START);
        Files.writeString(log, BOOT);
        GuestConsole.Mark m = GuestConsole.mark(log);
        Files.writeString(log, "HEARTBEAT n=4 up_ms=2400\r\nMEMORY-OK pass=1 pages=9000 corrupt=0\r\nHEARTBEAT n=5",
                java.nio.file.StandardOpenOption.APPEND);
        GuestConsole.Snapshot s = GuestConsole.read(log, m);
        assertThat(s.ready()).isFalse();
        assertThat(s.firstHeartbeat()).isEqualTo(4);
        assertThat(s.lastHeartbeat()).isEqualTo(4); // n=5 has no line end yet
        assertThat(s.lastMemoryOk()).isEqualTo("MEMORY-OK pass=1 pages=9000 corrupt=0");
    }

    @Test
    void aReplacedLogIsReadFromItsStart() throws Exception {
        Path log = tmp.resolve("serial.log");
        Files.writeString(log, BOOT + BOOT);
        GuestConsole.Mark m = GuestConsole.mark(log);
        Files.delete(log);
        Files.writeString(log, "HEARTBEAT n=9 up_ms=1\r\n" + BOOT + BOOT + BOOT); // may well reuse the inode
        assertThat(GuestConsole.read(log, m).firstHeartbeat()).isEqualTo(9);
        Files.writeString(log, "HEARTBEAT n=9 up_ms=1\r\n");
        assertThat(GuestConsole.read(log, m).firstHeartbeat()).isEqualTo(9);
        assertThat(GuestConsole.read(tmp.resolve("missing.log"), m).lastHeartbeat()).isNull();
    }

    @Test
    void fieldsAreParsedByKey() {
        assertThat(GuestConsole.field("HEARTBEAT n=42 up_ms=4200", "up_ms")).isEqualTo(4200);
        assertThat(GuestConsole.field("HEARTBEAT n=42", "pass")).isNull();
        assertThat(GuestConsole.field("HEARTBEAT n=x", "n")).isNull();
    }
}

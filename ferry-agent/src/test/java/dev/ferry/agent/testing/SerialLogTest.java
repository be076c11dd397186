package dev.ferry.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serial log reader on hand-written logs: what counts as a line, and how waits end. */
class SerialLogTest {
    @TempDir
    Path dir;

    @Test
    void onlyCompleteLinesCountAndCrlfIsStripped() throws Exception {
        Path file = dir.resolve("serial.log");
        Files.writeString(file, "FERRY-GUEST-READY kernel=6.1 mem=32 disk=vda\r\nHEARTBEAT n=1 up_ms=200\r\nHEARTBEAT n=12 up_ms=2400\r\nHEARTBEAT n=1");
        SerialLog log = new SerialLog(file);

        assertThat(log.lines()).containsExactly("FERRY-GUEST-READY kernel=6.1 mem=32 disk=vda", "HEARTBEAT n=1 up_ms=200",
                "HEARTBEAT n=12 up_ms=2400");
        assertThat(log.latestHeartbeat()).as("the unterminated 'n=1' may still become n=13").isEqualTo(12);
        assertThat(log.awaitLine("^FERRY-GUEST-READY .*disk=vda$", Duration.ofSeconds(1))).contains("mem=32");
        assertThat(log.lineCount()).isEqualTo(3);
    }

    @Test
    void waitsFailWithTheEndOfTheLogAndCanSkipOldLines() throws Exception {
        Path file = dir.resolve("serial.log");
        Files.writeString(file, "FERRY-GUEST-READY kernel=6.1 mem=0 disk=none\r\nHEARTBEAT n=3 up_ms=600\r\n");
        SerialLog log = new SerialLog(file);
        int mark = log.lineCount();

        assertThatThrownBy(() -> log.awaitLine("^FERRY-GUEST-READY", Duration.ofMillis(300), mark))
                .isInstanceOf(AssertionError.class).hasMessageContaining("HEARTBEAT n=3");
        assertThatThrownBy(() -> log.awaitHeartbeatAbove(3, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("latest 3");
        assertThat(new SerialLog(dir.resolve("absent.log")).latestHeartbeat()).isEqualTo(-1);
    }
}

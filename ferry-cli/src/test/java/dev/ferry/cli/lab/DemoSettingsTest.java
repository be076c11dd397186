package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
    private static DemoSettings settings(Integer bw, Integer downtime, String shape, int rounds, boolean loopback) {
        return new DemoSettings(Path.of("/repo"), Path.of("/tmp/x"), false, bw, downtime, shape, rounds, loopback);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> settings(null, null, null, 0, false)).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> settings(0, null, null, 1, false)).hasMessageContaining("--bandwidth");
        assertThatThrownBy(() -> settings(null, 0, null, 1, false)).hasMessageContaining("--max-downtime");
        assertThatThrownBy(() -> settings(null, null, "10mbit", 1, false)).hasMessageContaining("--shape");
        assertThatThrownBy(() -> settings(null, null, "1gbit", 1, true)).hasMessageContaining("--loopback");
        assertThat(settings(50, 100, "100mbit", 3, false).rounds()).isEqualTo(3);
    }

    @Test
    void roundsGoBackAndForth() {
        assertThat(List.of(DemoSettings.source(1), DemoSettings.destination(1))).containsExactly("host-a", "host-b");
        assertThat(List.of(DemoSettings.source(2), DemoSettings.destination(2))).containsExactly("host-b", "host-a");
        assertThat(DemoSettings.source(3)).isEqualTo("host-a");
    }

    @Test
    void defaultWorkDirectoryIsPerProcess() {
        assertThat(DemoSettings.defaultDir().getFileName().toString()).isEqualTo("ferry-demo-" + ProcessHandle.current().pid());
    }
}

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

    private static DemoSettings multi(Integer rounds, int hosts, int vms, boolean evacuate) {
        return new DemoSettings(Path.of("/repo"), Path.of("/tmp/x"), false, null, null, null, rounds, false, hosts, vms, evacuate);
    }

    @Test
    void hostVmAndEvacuationFlagsAreCheckedTogether() {
        assertThatThrownBy(() -> multi(null, 1, 1, false)).hasMessageContaining("--hosts must be between 2 and 5");
        assertThatThrownBy(() -> multi(null, 6, 1, false)).hasMessageContaining("--hosts");
        assertThatThrownBy(() -> multi(null, 3, 0, false)).hasMessageContaining("--vms must be between 1 and 8");
        assertThatThrownBy(() -> multi(null, 3, 9, false)).hasMessageContaining("--vms");
        assertThatThrownBy(() -> multi(2, 3, 4, true)).hasMessageContaining("--rounds does not apply to --evacuate");
        assertThatThrownBy(() -> new DemoSettings(Path.of("/r"), Path.of("/d"), false, 50, null, null, null, false, 3, 4, true))
                .hasMessageContaining("--bandwidth");
        assertThat(multi(null, 3, 4, true).rounds()).isEqualTo(1);
        assertThat(multi(null, 2, 1, false)).isEqualTo(settings(null, null, null, 1, false));
    }

    @Test
    void evacuationPutsThreeOfFourGuestsOnHostAAndTheRestElsewhere() {
        DemoSettings s = multi(null, 3, 4, true);
        assertThat(s.vmNames()).containsExactly("demo-1", "demo-2", "demo-3", "demo-4");
        assertThat(s.placement()).containsExactly("host-a", "host-a", "host-a", "host-b");
        assertThat(multi(null, 3, 8, true).placement()).containsExactly("host-a", "host-a", "host-a", "host-a", "host-a", "host-a",
                "host-b", "host-c");
        assertThat(multi(null, 2, 1, true).placement()).containsExactly("host-a");
    }

    @Test
    void roundsMoveEveryGuestOneHostOnward() {
        DemoSettings s = multi(3, 3, 2, false);
        assertThat(s.placement()).containsExactly("host-a", "host-b");
        assertThat(List.of(DemoSettings.source(0, 1, 3), DemoSettings.destination(0, 1, 3))).containsExactly("host-a", "host-b");
        assertThat(List.of(DemoSettings.source(1, 1, 3), DemoSettings.destination(1, 1, 3))).containsExactly("host-b", "host-c");
        assertThat(List.of(DemoSettings.source(1, 2, 3), DemoSettings.destination(1, 2, 3))).containsExactly("host-c", "host-a");
        assertThat(multi(null, 2, 1, false).vmNames()).containsExactly("demo");
    }
}

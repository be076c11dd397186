package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabStateTest {
    @TempDir
    Path tmp;

    @Test
    void savedStateLoadsBackWithEverythingStarted() {
        LabLayout layout = LabLayout.create(tmp.resolve("lab"));
        LabState s = LabState.fresh(layout, AddressPlan.NETNS).withProcess("controller", 11).withProcess("host-a", 12)
                .withAgent("host-a", "https://10.213.1.2:7001").withController("https://127.0.0.1:7000");
        s.save(layout);
        LabState back = LabState.load(layout.dir());
        assertThat(back).isEqualTo(s);
        assertThat(back.pids()).containsExactly(11L, 12L);
        assertThat(back.mode()).isEqualTo("netns");
    }

    @Test
    void aDirectoryWithoutALabIsReported() {
        assertThatThrownBy(() -> LabState.load(tmp)).isInstanceOf(LabException.class).hasMessageContaining("no demo lab");
    }

    @Test
    void workDirectoryMustBeEmpty() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("precious.txt"), "x");
        assertThatThrownBy(() -> LabLayout.create(tmp)).isInstanceOf(LabException.class).hasMessageContaining("not empty");
    }
}

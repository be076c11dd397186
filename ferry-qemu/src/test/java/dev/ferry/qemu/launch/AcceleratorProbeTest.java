package dev.ferry.qemu.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe must only choose KVM when a guest really boots with it. These cases use probe guests
 * that cannot boot, so every host, with or without working KVM, must end up on TCG.
 */
@Tag("qemu")
class AcceleratorProbeTest {
    @TempDir Path tmp;

    @Test
    void noProbeGuestMeansTcg() {
        AcceleratorProbe.Result r = AcceleratorProbe.probe("qemu-system-x86_64", null, null, Duration.ofSeconds(5), tmp);
        assertThat(r.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(r.reason()).satisfiesAnyOf(
                s -> assertThat(s).contains("/dev/kvm is not available"),
                s -> assertThat(s).contains("no probe guest"));
    }

    @Test
    void aGuestThatNeverPrintsItsReadyLineMeansTcg() throws Exception {
        Path kernel = Files.write(tmp.resolve("vmlinuz"), new byte[4096]);
        Path initrd = Files.write(tmp.resolve("initrd.gz"), new byte[512]);
        AcceleratorProbe.Result r = AcceleratorProbe.probe("qemu-system-x86_64", kernel, initrd, Duration.ofSeconds(3), tmp);
        assertThat(r.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(kernel.toString())))
                .as("no probe QEMU is left running").isEmpty();
    }
}

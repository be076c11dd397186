package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGuestTest {
    @TempDir
    Path tmp;

    @Test
    void buildOutputsLastKernelAndInitrdLinesAreUsed() {
        DemoGuest.Boot b = DemoGuest.parseBuildOutput("guest: up to date\nKERNEL=/r/build/guest/ab/vmlinuz\nINITRD=/r/build/guest/ab/initrd.gz\n");
        assertThat(b.kernel()).isEqualTo(Path.of("/r/build/guest/ab/vmlinuz"));
        assertThat(b.initrd()).isEqualTo(Path.of("/r/build/guest/ab/initrd.gz"));
        assertThatThrownBy(() -> DemoGuest.parseBuildOutput("apt-get: failure\n"))
                .isInstanceOf(LabException.class).hasMessageContaining("apt-get: failure");
    }

    @Test
    void specIsValidAndAsksTheGuestForItsSelfChecks() {
        VmSpec spec = DemoGuest.spec(new DemoGuest.Boot(Path.of("/k/vmlinuz"), Path.of("/k/initrd.gz")), Path.of("/lab/shared/demo-data.raw"));
        assertThat(SpecValidator.problems(spec)).isEmpty();
        assertThat(spec.memoryMiB()).isEqualTo(256);
        assertThat(spec.boot().cmdline()).contains("ferry.mem=64", "ferry.rate=20", "ferry.hb=100", "ferry.disk=vda", "console=ttyS0");
        assertThat(spec.disks()).singleElement().satisfies(d -> assertThat(d.path()).isEqualTo("/lab/shared/demo-data.raw"));
        assertThat(spec.nics()).singleElement().satisfies(n -> assertThat(n.network()).isEqualTo("user"));
        assertThat(spec.serialLog()).isNull(); // each host keeps the console in its own state directory
    }

    @Test
    void dataDiskIsASparseRawImageInTheSharedPool() throws Exception {
        LabLayout layout = LabLayout.create(tmp.resolve("lab"));
        Path disk = DemoGuest.createDisk(layout);
        assertThat(disk.getParent()).isEqualTo(layout.shared());
        assertThat(Files.size(disk)).isEqualTo(64L << 20);
    }

    @Test
    void buildRefusesAHomeWithoutTheGuestScript() {
        assertThatThrownBy(() -> DemoGuest.build(tmp, new Shell(5))).isInstanceOf(LabException.class)
                .hasMessageContaining("guest/build.sh");
    }
}

package dev.ferry.controller.migration.phase;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.VmSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every mode asks of the destination before anything changes, with the refusal naming what is missing. */
class DestinationFitTest {
    private static HostInfo host(long availableMiB) {
        return new HostInfo("host-b", "0", "x", "x", List.of(), 2, "10.0.2", "tcg", null, List.of("q35", "pc"), List.of("qemu64"),
                4096, availableMiB, List.of(), List.of(), "127.0.0.1", null);
    }

    private static VmSpec spec(String machine, String cpu, int memoryMiB) {
        return new VmSpec("vm1", null, 1, memoryMiB, cpu, machine, Firmware.BIOS, new BootSpec("/k", "/i", "", null), List.of(),
                List.of(), null);
    }

    @Test
    void aDestinationWithTheMachineTheCpuAndTheMemoryFits() {
        assertThatCode(() -> DestinationFit.require(host(256 + DestinationFit.MEMORY_OVERHEAD_MIB), spec("q35", "qemu64", 256), "vm1"))
                .doesNotThrowAnyException();
        assertThatCode(() -> DestinationFit.require(host(1024), spec(null, null, 256), "vm1")).as("defaults q35 and qemu64")
                .doesNotThrowAnyException();
    }

    @Test
    void eachMissingPieceIsNamed() {
        assertThatThrownBy(() -> DestinationFit.require(host(1024), spec("microvm", "qemu64", 256), "vm1"))
                .isInstanceOfSatisfying(FerryException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_STATE)).hasMessageContaining("host-b's QEMU has no machine type 'microvm'");
        assertThatThrownBy(() -> DestinationFit.require(host(1024), spec("q35", "EPYC", 256), "vm1"))
                .hasMessageContaining("host-b's QEMU has no CPU model 'EPYC'");
        assertThatThrownBy(() -> DestinationFit.require(host(256 + DestinationFit.MEMORY_OVERHEAD_MIB - 1), spec("q35", "qemu64", 256),
                "vm1")).hasMessageContaining("host-b has 319 MiB available; 'vm1' needs 256 MiB");
    }
}

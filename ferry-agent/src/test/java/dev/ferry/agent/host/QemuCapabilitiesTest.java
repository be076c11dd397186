package dev.ferry.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.RecordedQemu;
import dev.ferry.api.host.HostInfo.CpuDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capability probe's reading of QEMU's real answers (recorded from QEMU 10.0.2 under TCG and KVM). */
class QemuCapabilitiesTest {
    @Test
    void unavailableFeaturesDependOnTheAccelerator() {
        QemuCapabilities tcg = RecordedQemu.capabilities("tcg");
        QemuCapabilities kvm = RecordedQemu.capabilities("kvm");
        assertThat(def(tcg, "qemu64").runnable()).isTrue();
        assertThat(def(kvm, "qemu64").unavailableFeatures()).contains("pni");
        assertThat(def(tcg, "Skylake-Client").unavailableFeatures()).contains("pcid", "tsc-deadline");
        assertThat(def(tcg, "host").unavailableFeatures()).as("host needs KVM").containsExactly("kvm");
        assertThat(def(kvm, "host").runnable()).isTrue();
        assertThat(def(tcg, "qemu64").migrationSafe()).isTrue();
        assertThat(def(tcg, "host").migrationSafe()).isFalse();
        assertThat(tcg.accelerator()).isEqualTo("tcg");
    }

    @Test
    void machineAliasesMapToTheVersionedType() {
        QemuCapabilities tcg = RecordedQemu.capabilities("tcg");
        assertThat(tcg.machineAliases()).containsEntry("q35", "pc-q35-10.0").containsEntry("pc", "pc-i440fx-10.0");
        assertThat(tcg.machineTypes()).contains("q35", "pc-q35-10.0", "pc", "microvm");
        assertThat(tcg.cpuModels()).contains("qemu64", "Skylake-Client", "Skylake-Client-v1");
    }

    @Test
    void anOperatorCanNarrowTheMachineTypes() {
        QemuCapabilities only = RecordedQemu.capabilities("tcg").allowingMachines(List.of("pc", "pc-i440fx-10.0"));
        assertThat(only.machineTypes()).containsExactly("pc", "pc-i440fx-10.0");
        assertThat(only.machineAliases()).containsOnlyKeys("pc");
        assertThat(RecordedQemu.capabilities("tcg").allowingMachines(null).machineTypes()).contains("q35");
    }

    private static CpuDefinition def(QemuCapabilities c, String name) {
        return c.cpuDefinitions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}

package dev.ferry.qemu.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.SpecReader;
import dev.ferry.api.spec.VmSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A NIC on the isolated network is a lone port of a QEMU hub of its own: connected to nothing. */
class IsolatedNetworkTest {
    @Test
    void eachIsolatedNicGetsAHubOfItsOwn() {
        VmSpec spec = SpecReader.parse("""
                name: clone
                vcpus: 1
                memoryMiB: 128
                boot: {kernel: /g/vmlinuz, initrd: /g/initrd.gz, cmdline: console=ttyS0}
                nics:
                  - {model: virtio, network: ferry-isolated, mac: "52:54:00:00:00:01"}
                  - {model: virtio, network: ferry-isolated, mac: "52:54:00:00:00:02"}
                """, "spec");
        LaunchOptions opts = new LaunchOptions("qemu-system-x86_64", Accelerator.TCG, Path.of("/run/ferry/clone"),
                Path.of("/var/log/ferry/clone.serial"), Map.of(NetworkDef.ISOLATED, NetworkDef.isolated()), false, null);
        List<String> args = QemuCommandLine.build(spec, opts);
        assertThat(args).containsSequence("-netdev", "hubport,id=net0,hubid=0")
                .containsSequence("-netdev", "hubport,id=net1,hubid=1")
                .contains("virtio-net-pci,netdev=net0,id=nic0,mac=52:54:00:00:00:01");
        assertThat(String.join(" ", args)).doesNotContain("user,").doesNotContain("bridge,");
    }
}

package dev.ferry.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsing behind the post-migration probes: thread CPU time from a stat line, netdev backends from QEMU's argv. */
class SafetyProbesTest {
    @Test
    void cpuTicksAreUtimePlusStimeCountedAfterTheThreadName() {
        // a thread name with spaces and parentheses, as QEMU names its vCPU threads ("CPU 0/TCG")
        String stat = "4242 (CPU 0/TCG (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 3 0 100 0 0";
        assertThat(GuestWorkProbe.ticksOf(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void netdevBackendsAreReadFromTheCommandLine() {
        List<String> argv = List.of("qemu-system-x86_64", "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0,id=nic0",
                "-netdev", "bridge,id=net1,br=br0", "-netdev", "hubport,id=net2,hubid=2");
        var args = NicInspector.netdevArgs(argv);
        assertThat(args).containsOnlyKeys("net0", "net1", "net2");
        assertThat(NicInspector.backend(args.get("net0"))).isEqualTo("user");
        assertThat(NicInspector.backend(args.get("net1"))).isEqualTo("bridge br=br0");
        assertThat(NicInspector.backend(args.get("net2"))).isEqualTo("hubport");
    }
}

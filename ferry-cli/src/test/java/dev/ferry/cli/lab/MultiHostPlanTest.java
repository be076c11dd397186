package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The address plan and netns commands of labs with three hosts or more (two hosts: AddressPlanTest). */
class MultiHostPlanTest {
    private static String line(List<String> cmd) { return String.join(" ", cmd); }

    @Test
    void threeHostsEachGetANamespaceAnApiLinkAndAPortOnTheMigrationBridge() {
        AddressPlan p = AddressPlan.netns(3);
        assertThat(p.hostNames()).containsExactly("host-a", "host-b", "host-c");
        assertThat(p.namespaces()).containsExactly("ferry-demo-a", "ferry-demo-b", "ferry-demo-c", "ferry-demo-mig");
        assertThat(p.host("host-c").certificateIps()).containsExactly("10.213.3.2", "10.213.0.3");
        assertThat(p.bridge().netns()).isEqualTo("ferry-demo-mig");
        assertThat(p.bridge().ports()).containsExactly("fdemo-mbr-a", "fdemo-mbr-b", "fdemo-mbr-c");
        assertThat(p.migrationLinks()).hasSize(3).allSatisfy(l -> {
            assertThat(l.peerNetns()).isEqualTo("ferry-demo-mig");
            assertThat(l.peerIp()).isNull();
        });
        assertThat(p.migrationLink("host-b").ip()).isEqualTo("10.213.0.2");
        assertThat(p.rootLinkNames()).containsExactly("fdemo-a", "fdemo-b", "fdemo-c");
    }

    @Test
    void everyPlanSizeKeepsToTheLabSubnetUniqueAddressesAndShortDeviceNames() {
        for (int n = AddressPlan.MIN_HOSTS; n <= AddressPlan.MAX_HOSTS; n++) {
            AddressPlan p = AddressPlan.netns(n);
            Set<String> ips = new HashSet<>();
            for (AddressPlan.VethPair l : p.links()) {
                for (String ip : new String[] {l.ip(), l.peerIp()}) {
                    if (ip == null) continue;
                    assertThat(ip).startsWith("10.213.");
                    assertThat(ips.add(ip)).as("address %s used twice in a %d-host plan", ip, n).isTrue();
                }
                assertThat(l.name().length()).isLessThanOrEqualTo(15);
                assertThat(l.peer().length()).isLessThanOrEqualTo(15);
            }
            assertThat(p.hosts()).hasSize(n);
            assertThat(AddressPlan.largest().namespaces()).containsAll(p.namespaces());
            assertThat(AddressPlan.largest().rootLinkNames()).containsAll(p.rootLinkNames());
        }
    }

    @Test
    void aDemoPlanCleansUpTheWholeFamilyButAForeignPlanOnlyItself() {
        assertThat(AddressPlan.netns(2).family()).isEqualTo(AddressPlan.largest());
        AddressPlan foreign = new AddressPlan(AddressPlan.NETNS, List.of(), List.of("ferry-pct1-a"), List.of());
        assertThat(foreign.family()).isSameAs(foreign);
    }

    @Test
    void hostCountsOutsideTwoToFiveAreRefused() {
        assertThatThrownBy(() -> AddressPlan.netns(1)).isInstanceOf(LabException.class).hasMessageContaining("--hosts");
        assertThatThrownBy(() -> AddressPlan.netns(6)).isInstanceOf(LabException.class).hasMessageContaining("--hosts");
        assertThat(AddressPlan.loopback(4).hostNames()).containsExactly("host-a", "host-b", "host-c", "host-d");
    }

    @Test
    void setUpBuildsTheBridgeBeforeItsPortsAndEnslavesEveryPort() {
        List<String> cmds = NetnsCommands.setUp(AddressPlan.netns(3)).stream().map(MultiHostPlanTest::line).toList();
        int bridge = cmds.indexOf("ip -n ferry-demo-mig link add fdemo-br type bridge");
        int port = cmds.indexOf("ip link add fdemo-mig-a netns ferry-demo-a type veth peer name fdemo-mbr-a netns ferry-demo-mig");
        int master = cmds.indexOf("ip -n ferry-demo-mig link set fdemo-mbr-a master fdemo-br");
        assertThat(bridge).isGreaterThan(cmds.indexOf("ip netns add ferry-demo-mig")).isLessThan(port);
        assertThat(master).isGreaterThan(port);
        assertThat(cmds).contains("ip -n ferry-demo-mig link set fdemo-br up", "ip -n ferry-demo-c addr add 10.213.0.3/24 dev fdemo-mig-c",
                "ip -n ferry-demo-mig link set fdemo-mbr-c up", "ip -n ferry-demo-mig link set fdemo-mbr-c master fdemo-br",
                "ip addr add 10.213.3.1/24 dev fdemo-c");
        assertThat(cmds).noneMatch(c -> c.contains("addr add") && c.contains("fdemo-mbr"));
        for (String c : cmds) assertThat(c.contains("ferry-demo-") || c.matches(".* fdemo-[a-e]( .*)?")).as(c).isTrue();
    }

    @Test
    void shapingLimitsEachHostsLinkInBothDirections() {
        List<String> cmds = NetnsCommands.shape(AddressPlan.netns(3), "1gbit").stream().map(MultiHostPlanTest::line).toList();
        assertThat(cmds).hasSize(6).contains(
                "tc -n ferry-demo-b qdisc replace dev fdemo-mig-b root tbf rate 1gbit burst 1mb latency 100ms",
                "tc -n ferry-demo-mig qdisc replace dev fdemo-mbr-b root tbf rate 1gbit burst 1mb latency 100ms");
    }

    @Test
    void tearDownOfTheLargestPlanRemovesEveryNamespaceAndRootEnd() {
        assertThat(NetnsCommands.tearDown(AddressPlan.largest()).stream().map(MultiHostPlanTest::line)).contains(
                "ip netns del ferry-demo-e", "ip netns del ferry-demo-mig", "ip link del fdemo-e").hasSize(6 + 5);
    }
}

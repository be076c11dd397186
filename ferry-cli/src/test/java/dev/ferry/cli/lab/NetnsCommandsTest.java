package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetnsCommandsTest {
    private final AddressPlan plan = AddressPlan.netns();

    private static String line(List<String> cmd) { return String.join(" ", cmd); }

    @Test
    void setUpCreatesNamespacesWithLoopbackUpThenTheVethPairs() {
        List<String> cmds = NetnsCommands.setUp(plan).stream().map(NetnsCommandsTest::line).toList();
        assertThat(cmds).startsWith("ip netns add ferry-demo-a", "ip -n ferry-demo-a link set lo up",
                "ip netns add ferry-demo-b", "ip -n ferry-demo-b link set lo up");
        assertThat(cmds).contains(
                "ip link add fdemo-mig-a netns ferry-demo-a type veth peer name fdemo-mig-b netns ferry-demo-b",
                "ip -n ferry-demo-a addr add 10.213.0.1/24 dev fdemo-mig-a",
                "ip -n ferry-demo-b addr add 10.213.0.2/24 dev fdemo-mig-b",
                "ip link add fdemo-a type veth peer name fdemo-a-api netns ferry-demo-a",
                "ip addr add 10.213.1.1/24 dev fdemo-a",
                "ip link set fdemo-a up",
                "ip -n ferry-demo-a addr add 10.213.1.2/24 dev fdemo-a-api",
                "ip -n ferry-demo-a link set fdemo-a-api up",
                "ip -n ferry-demo-b addr add 10.213.2.2/24 dev fdemo-b-api");
        assertThat(cmds).hasSize(4 + 3 * 5);
    }

    @Test
    void everyCommandTouchesOnlyTheLabsNamespacesOrItsOwnRootDevices() {
        for (List<String> cmd : NetnsCommands.setUp(plan)) {
            String l = line(cmd);
            assertThat(l.contains("ferry-demo-") || l.contains(" fdemo-a") || l.contains(" fdemo-b")).as(l).isTrue();
        }
    }

    @Test
    void tearDownDeletesNamespacesAndRootEnds() {
        assertThat(NetnsCommands.tearDown(plan).stream().map(NetnsCommandsTest::line)).containsExactly(
                "ip netns del ferry-demo-a", "ip netns del ferry-demo-b", "ip link del fdemo-a", "ip link del fdemo-b");
    }

    @Test
    void agentsRunInsideTheirNamespace() {
        assertThat(NetnsCommands.exec("ferry-demo-a", List.of("java", "-jar", "f.jar")))
                .containsExactly("ip", "netns", "exec", "ferry-demo-a", "java", "-jar", "f.jar");
        assertThat(NetnsCommands.pids("ferry-demo-b")).containsExactly("ip", "netns", "pids", "ferry-demo-b");
    }

    @Test
    void shapingLimitsBothEndsOfTheMigrationLinkOnly() {
        assertThat(NetnsCommands.shape(plan, "100mbit").stream().map(NetnsCommandsTest::line)).containsExactly(
                "tc -n ferry-demo-a qdisc replace dev fdemo-mig-a root tbf rate 100mbit burst 128kb latency 100ms",
                "tc -n ferry-demo-b qdisc replace dev fdemo-mig-b root tbf rate 100mbit burst 128kb latency 100ms");
        assertThat(NetnsCommands.shape(plan, "1gbit")).hasSize(2).allSatisfy(c -> assertThat(c).contains("1gbit", "1mb"));
        assertThatThrownBy(() -> NetnsCommands.shape(plan, "10gbit")).isInstanceOf(LabException.class);
    }
}

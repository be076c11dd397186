package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetnsLabTest {
    @Test
    void aHostThatAlreadyUsesTheLabSubnetIsNoticed() {
        String clean = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever
                default via 192.0.2.1 dev eth0
                192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
                110.213.0.0/16 via 192.0.2.1 dev eth0
                """;
        assertThat(NetnsLab.subnetInUse(clean)).isNull();
        assertThat(NetnsLab.subnetInUse(clean + "10.213.0.0/16 via 192.0.2.1 dev eth0\n")).isEqualTo("10.213.0.0/16 via 192.0.2.1 dev eth0");
        assertThat(NetnsLab.subnetInUse("3: br0    inet 10.213.5.1/24 scope global br0\n")).contains("10.213.5.1/24");
        assertThat(NetnsLab.subnetInUse("3: br0    inet 10.213.5.1/24 scope global br0\n", "10.207.")).isNull();
        assertThat(NetnsLab.subnetInUse("3: x    inet 10.207.0.3/24 scope global x\n", "10.207.")).contains("10.207.0.3/24");
    }
}

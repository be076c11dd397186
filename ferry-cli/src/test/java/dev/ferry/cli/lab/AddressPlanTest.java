package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressPlanTest {
    @Test
    void netnsPlanGivesEachHostItsOwnNamespaceApiAndMigrationAddress() {
        AddressPlan p = AddressPlan.netns();
        assertThat(p.isNetns()).isTrue();
        assertThat(p.namespaces()).containsExactly("ferry-demo-a", "ferry-demo-b");
        AddressPlan.LabHost a = p.host("host-a");
        AddressPlan.LabHost b = p.host("host-b");
        assertThat(a.netns()).isEqualTo("ferry-demo-a");
        assertThat(b.netns()).isEqualTo("ferry-demo-b");
        assertThat(a.certificateIps()).containsExactly("10.213.1.2", "10.213.0.1");
        assertThat(b.certificateIps()).containsExactly("10.213.2.2", "10.213.0.2");
    }

    @Test
    void onlyTheLinkBetweenTheTwoNamespacesCarriesMigrations() {
        AddressPlan p = AddressPlan.netns();
        assertThat(p.migrationLinks()).singleElement().satisfies(l -> {
            assertThat(l.ip()).isEqualTo(p.host("host-a").migrationIp());
            assertThat(l.peerIp()).isEqualTo(p.host("host-b").migrationIp());
        });
        assertThat(p.rootLinkNames()).containsExactly("fdemo-a", "fdemo-b");
    }

    @Test
    void everyAddressIsInTheLabsOwnSubnetsAndEveryDeviceNameFitsTheKernelLimit() {
        AddressPlan p = AddressPlan.netns();
        for (AddressPlan.VethPair l : p.links()) {
            assertThat(l.ip()).startsWith("10.213.");
            assertThat(l.peerIp()).startsWith("10.213.");
            assertThat(l.name().length()).isLessThanOrEqualTo(15);
            assertThat(l.peer().length()).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void loopbackPlanHasNoNamespacesAndOneAddress() {
        AddressPlan p = AddressPlan.loopback();
        assertThat(p.isNetns()).isFalse();
        assertThat(p.namespaces()).isEmpty();
        assertThat(p.links()).isEmpty();
        assertThat(p.hosts()).allSatisfy(h -> assertThat(h.certificateIps()).containsExactly("127.0.0.1"));
        assertThatThrownBy(() -> p.host("host-c")).isInstanceOf(IllegalArgumentException.class);
    }
}

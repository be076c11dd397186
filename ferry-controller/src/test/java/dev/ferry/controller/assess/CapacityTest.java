package dev.ferry.controller.assess;

import static dev.ferry.controller.assess.Hosts.GIB;
import static dev.ferry.controller.assess.Hosts.host;
import static dev.ferry.controller.assess.Hosts.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.controller.ServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capacity arithmetic: config defaults and overrides, a host's books, and what a ledger adds or frees. */
class CapacityTest {
    private static final HostInfo B = host("host-b", "tcg", b -> {
        b.memTotal = 16384;
        b.cpus = 8;
        return b;
    });

    @Test
    void defaultsAreNoMemoryOvercommitFourfoldCpusAndReservedMemory() {
        CapacityPolicy.Limits l = CapacityPolicy.defaults().limitsOf("host-b");
        assertThat(l).isEqualTo(new CapacityPolicy.Limits(1.0, 4.0, 512, 0, 64));
        HostCapacity c = HostCapacity.of(B, List.of(), CapacityLedger.Load.NONE, l);
        assertThat(c.memoryCapacityMiB()).isEqualTo(16384 - 512);
        assertThat(c.vcpuCapacity()).isEqualTo(32);
        assertThat(c.freeMemoryMiB()).isEqualTo(15872);
    }

    @Test
    void aHostOverrideWinsOverTheGlobalFigures() {
        CapacityPolicy p = CapacityPolicy.of(new ServerConfig.Capacity(1.5, 2.0, 1024L, 2, null, 60,
                Map.of("host-b", new ServerConfig.Capacity(null, null, 4096L, null, 128L, null, null))));
        assertThat(p.limitsOf("host-a")).isEqualTo(new CapacityPolicy.Limits(1.5, 2.0, 1024, 2, 64));
        assertThat(p.limitsOf("host-b")).isEqualTo(new CapacityPolicy.Limits(1.5, 2.0, 4096, 2, 128));
        HostCapacity c = HostCapacity.of(B, List.of(vm("qemu64")), CapacityLedger.Load.NONE, p.limitsOf("host-b"));
        // 16384 x 1.5 - 4096 = 20480; one VM of 1024 + 128 overhead; 8 x 2.0 - 2 = 14 vCPUs, 2 used.
        assertThat(c.memoryCapacityMiB()).isEqualTo(20480);
        assertThat(c.freeMemoryMiB()).isEqualTo(20480 - 1152);
        assertThat(c.freeVcpus()).isEqualTo(12);
        assertThat(p.poolProofMaxAge()).hasSeconds(60);
    }

    @Test
    void theLedgerAddsWhatAPlanSentAndFreesWhatItTookAway() {
        CapacityLedger ledger = CapacityLedger.empty();
        ledger.move("host-a", "host-b", 2048, 2, "local", 3 * GIB);
        ledger.move("host-b", "host-c", 512, 1, null, 0);
        HostCapacity c = HostCapacity.of(B, List.of(), ledger.on("host-b"), CapacityPolicy.defaults().limitsOf("host-b"));
        assertThat(c.freeMemoryMiB()).isEqualTo(15872 - 2048 + 512);
        assertThat(c.freeVcpus()).isEqualTo(32 - 1);
        assertThat(c.poolFreeBytes("local")).isEqualTo(40 * GIB - 3 * GIB);
        assertThat(c.poolFreeBytes("shared")).isEqualTo(50 * GIB);
        assertThat(c.poolFreeBytes("none")).isEqualTo(-1);
    }

    @Test
    void nonsenseInTheConfigIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CapacityPolicy.of(new ServerConfig.Capacity(0.0, null, null, null, null, null, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("capacity.memoryOvercommit");
        assertThatThrownBy(() -> CapacityPolicy.of(new ServerConfig.Capacity(null, null, null, null, null, null,
                Map.of("host-b", new ServerConfig.Capacity(null, null, -1L, null, null, null, null)))))
                .hasMessageContaining("capacity.hosts.host-b.reservedMemoryMiB");
    }
}

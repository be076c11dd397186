package dev.ferry.controller.assess;

import static dev.ferry.controller.assess.Hosts.GIB;
import static dev.ferry.controller.assess.Hosts.disk;
import static dev.ferry.controller.assess.Hosts.host;
import static dev.ferry.controller.assess.Hosts.input;
import static dev.ferry.controller.assess.Hosts.nic;
import static dev.ferry.controller.assess.Hosts.vm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.Severity;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.HostInfo.PoolInfo;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.store.MaintenanceStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The assessment's checks over hosts built from QEMU 10.0.2's recorded answers: a TCG host and a
 * KVM host of this machine are a real heterogeneous pair (the KVM host cannot provide {@code pni}
 * of qemu64, the TCG host not {@code pcid} of Skylake-Client). Every blocker is asserted by its
 * code and by the numbers or names its message must carry.
 */
class AssessorChecksTest {
    private static final CapacityLedger NONE = CapacityLedger.empty();

    private static List<Finding> run(AssessmentInput in) {
        return Assessor.run(in, CapacityPolicy.defaults().limitsOf(in.destinationName()), new HashMap<>());
    }

    private static List<String> blockers(List<Finding> f) { return f.stream().filter(Finding::isBlocker).map(Finding::code).toList(); }

    private static Finding only(List<Finding> f, String code, Severity s) {
        List<Finding> m = f.stream().filter(x -> x.code().equals(code) && x.severity() == s).toList();
        assertThat(m).as("%s %s in %s", s, code, f).hasSize(1);
        return m.get(0);
    }

    @Test
    void twoTcgHostsMoveAQemu64GuestWithNothingInTheWay() {
        List<Finding> f = run(input(vm("qemu64"), host("host-a", "tcg"), host("host-b", "tcg"), "live", NONE, List.of()));
        assertThat(blockers(f)).isEmpty();
        assertThat(only(f, "CPU_MODEL_RECOMMENDED", Severity.INFO).message()).contains("'qemu64'", "runs on every host");
        assertThat(only(f, "CAPACITY", Severity.INFO).message()).contains("host-b keeps");
        assertThat(only(f, "POOL_SHARED", Severity.INFO).message()).contains("disk 'root' stays on shared storage");
    }

    @Test
    void tcgToKvmIsRefusedLiveForTheAcceleratorAndTheCpuFeaturesButWarnedCold() {
        HostInfo tcg = host("host-a", "tcg");
        HostInfo kvm = host("host-b", "kvm");
        List<Finding> live = run(input(vm("qemu64"), tcg, kvm, "live", NONE, List.of()));
        assertThat(blockers(live)).containsExactlyInAnyOrder("ACCELERATOR_MISMATCH", "CPU_FEATURES_UNAVAILABLE");
        assertThat(only(live, "CPU_FEATURES_UNAVAILABLE", Severity.BLOCKER).message()).contains("host-b (kvm)", "'qemu64'", "pni");
        List<Finding> cold = run(input(vm("qemu64"), tcg, kvm, "cold", NONE, List.of()));
        assertThat(blockers(cold)).isEmpty();
        assertThat(only(cold, "CPU_FEATURES_UNAVAILABLE", Severity.WARNING).message()).contains("pni", "starts it without them");
    }

    @Test
    void aModelTheDestinationCannotProvideIsNamedWithItsFeaturesAndAClusterModelIsRecommended() {
        HostInfo kvm = host("host-a", "kvm");
        HostInfo tcg = host("host-b", "tcg");
        List<Finding> f = run(input(vm("Skylake-Client"), host("host-a", "tcg"), tcg, "live", NONE, List.of()));
        assertThat(only(f, "CPU_FEATURES_UNAVAILABLE", Severity.BLOCKER).message()).contains("'Skylake-Client'", "pcid", "tsc-deadline");
        AssessmentInput mixed = new AssessmentInput("web1", vm("qemu64"), VmState.SHUTOFF, "cold", tcg, kvm, "host-a", null, null,
                List.of(), Map.of(), HostCapacity.of(kvm, List.of(), CapacityLedger.Load.NONE, CapacityPolicy.defaults().limitsOf("host-a")),
                List.of(tcg, kvm), null);
        Finding rec = only(run(mixed), "CPU_MODEL_RECOMMENDED", Severity.WARNING);
        // On this machine's nested KVM only the oldest models run without unavailable features under both accelerators.
        assertThat(rec.message()).contains("'qemu64' cannot run on [host-a]", "'pentium3-v1' runs on every host");
        assertThat(ClusterCpuModel.common(List.of(tcg, kvm))).startsWith("pentium3-v1", "pentium3").doesNotContain("qemu64", "max", "base");
    }

    @Test
    void hostPassthroughIsWarnedAndRefusedLiveWhenTheDestinationLacksFlags() {
        HostInfo a = host("host-a", "kvm");
        HostInfo same = host("host-b", "kvm");
        List<Finding> ok = run(input(vm("host"), a, same, "live", NONE, List.of()));
        assertThat(only(ok, "CPU_HOST_PASSTHROUGH", Severity.WARNING).message()).contains("identical CPUs");
        assertThat(only(ok, "CPU_MODEL_RECOMMENDED", Severity.WARNING).message()).contains("host-passthrough");
        HostInfo older = host("host-b", "kvm", b -> {
            b.flags = List.of("fpu", "sse2");
            b.cpuModel = "Intel Core2";
            return b;
        });
        List<Finding> f = run(input(vm("host"), a, older, "live", NONE, List.of()));
        assertThat(only(f, "CPU_HOST_PASSTHROUGH", Severity.BLOCKER).message()).contains("Intel Core2", "lacks 3 of its flags", "avx2");
    }

    @Test
    void machineTypesMissingOrMeaningAnotherVersionAreRefusedAndAnOlderQemuWarned() {
        HostInfo a = host("host-a", "tcg");
        HostInfo onlyPc = host("host-b", "tcg", b -> {
            b.caps = b.caps.allowingMachines(List.of("pc", "pc-i440fx-10.0"));
            return b;
        });
        assertThat(only(run(input(vm("qemu64"), a, onlyPc, "live", NONE, List.of())), "MACHINE_TYPE_MISSING", Severity.BLOCKER).message())
                .contains("host-b does not offer machine type 'q35'");
        // A newer source (as if QEMU 10.1, where q35 means pc-q35-10.1) moving to this 10.0.2 host.
        HostInfo newer = host("host-a", "tcg", b -> {
            b.qemuVersion = "10.1.0";
            b.aliases = Map.of("q35", "pc-q35-10.1", "pc", "pc-i440fx-10.1");
            return b;
        });
        List<Finding> f = run(input(vm("qemu64"), newer, host("host-b", "tcg"), "live", NONE, List.of()));
        assertThat(only(f, "MACHINE_TYPE_DIFFERS", Severity.BLOCKER).message()).contains("pc-q35-10.1 on host-a", "pc-q35-10.0 on host-b");
        assertThat(only(f, "QEMU_OLDER", Severity.WARNING).message()).contains("QEMU 10.0.2, older than 10.1.0");
        assertThat(blockers(run(input(vm("qemu64", "pc-q35-10.0", 512, 1, List.of(), List.of()), newer, host("host-b", "tcg"), "live",
                NONE, List.of())))).as("a pinned machine version both know").doesNotContain("MACHINE_TYPE_DIFFERS", "MACHINE_TYPE_MISSING");
    }

    @Test
    void anUnsafeQemuBlocksLiveMigration() {
        HostInfo old = host("host-b", "tcg", b -> {
            b.qemuVersion = "7.2.0";
            return b;
        });
        List<Finding> f = run(input(vm("qemu64"), host("host-a", "tcg"), old, "live", NONE, List.of()));
        assertThat(only(f, "QEMU_UNSAFE", Severity.BLOCKER).message()).contains("host-b runs QEMU 7.2.0");
        assertThat(blockers(run(input(vm("qemu64"), host("host-a", "tcg"), old, "cold", NONE, List.of())))).isEmpty();
    }

    @Test
    void everyNicNeedsItsNetworkOnTheDestination() {
        HostInfo a = host("host-a", "tcg", b -> {
            b.networks = List.of(NetworkDef.user("user"), new NetworkDef("lan", "bridge", "br0"));
            return b;
        });
        HostInfo dst = host("host-b", "tcg", b -> {
            b.networks = List.of(new NetworkDef("user", "bridge", "br1"));
            return b;
        });
        VmSpec spec = vm("qemu64", "q35", 512, 1, List.of(), List.of(nic("user"), nic("lan")));
        List<Finding> f = run(input(spec, a, dst, "live", NONE, List.of()));
        assertThat(only(f, "NETWORK_MISSING", Severity.BLOCKER).message()).contains("NIC 1", "'lan'", "host-b does not define");
        assertThat(only(f, "NETWORK_DIFFERS", Severity.WARNING).message()).contains("user on host-a", "bridge br1 on host-b");
    }

    @Test
    void theDestinationsBooksDecideMemoryAndVcpus() {
        HostInfo dst = host("host-b", "tcg", b -> {
            b.memTotal = 4096;
            b.memAvail = 4000;
            b.cpus = 2;
            return b;
        });
        // 4096 x 1.0 - 512 reserved = 3584; two VMs of 1024 + 64 overhead use 2176, leaving 1408.
        List<VmSpec> there = List.of(vm("qemu64"), vm("qemu64"));
        assertThat(blockers(run(input(vm("qemu64", "q35", 1400, 1, List.of(), List.of()), host("host-a", "tcg"), dst, "live", NONE, there))))
                .containsExactly("MEMORY");
        assertThat(only(run(input(vm("qemu64", "q35", 1400, 1, List.of(), List.of()), host("host-a", "tcg"), dst, "live", NONE, there)),
                "MEMORY", Severity.BLOCKER).message()).contains("needs 1464 MiB", "1408 MiB left of 3584", "2176 used by 2 VMs");
        assertThat(blockers(run(input(vm("qemu64", "q35", 1344, 1, List.of(), List.of()), host("host-a", "tcg"), dst, "live", NONE, there))))
                .isEmpty();
        // 2 CPUs x 4.0 = 8 vCPUs; 4 in use leave 4.
        assertThat(only(run(input(vm("qemu64", "q35", 256, 5, List.of(), List.of()), host("host-a", "tcg"), dst, "live", NONE, there)),
                "VCPUS", Severity.BLOCKER).message()).contains("needs 5 vCPUs", "has 4 left of 8");
        CapacityLedger plan = CapacityLedger.empty();
        plan.move("host-c", "host-b", 1000, 1, null, 0);
        assertThat(only(run(input(vm("qemu64", "q35", 512, 1, List.of(), List.of()), host("host-a", "tcg"), dst, "live", plan, there)),
                "MEMORY", Severity.BLOCKER).message()).contains("1000 committed by the plan");
    }

    @Test
    void disksNeedSharedStorageProvenOrRoomForACopy() {
        HostInfo a = host("host-a", "tcg");
        HostInfo b = host("host-b", "tcg");
        VmSpec shared = vm("qemu64");
        AssessmentInput base = input(shared, a, b, "live", NONE, List.of());
        AssessmentInput notShared = new AssessmentInput(base.vm(), base.spec(), base.state(), base.mode(), a, b, "host-b", null, null,
                base.disks(), Map.of("root", new AssessmentInput.PoolProof(false, "marker M was not found through pool 'shared' of host-b",
                "shared", "/srv/shared", "shared", "/srv/shared", true)),
                base.capacity(), base.cluster(), null);
        assertThat(only(run(notShared), "POOL_NOT_SHARED", Severity.BLOCKER).message())
                .contains("disk 'root'", "/srv/shared/web1.img", "marker M was not found");

        VmSpec local = vm("qemu64", "q35", 512, 1, List.of(disk("root", "/srv/local/web1.img")), List.of());
        HostInfo small = host("host-b", "tcg", x -> {
            x.pools = List.of(new PoolInfo("local", "/srv/local", false, 10 * GIB, GIB / 2));
            return x;
        });
        assertThat(only(run(input(local, a, small, "live", NONE, List.of())), "POOL_SPACE", Severity.BLOCKER).message())
                .contains("pool 'local' of host-b has 512 MiB free", "need 1139 MiB");
        HostInfo sharedOnly = host("host-b", "tcg", x -> {
            x.pools = List.of(new PoolInfo("shared", "/srv/shared", true, 10 * GIB, 5 * GIB));
            return x;
        });
        assertThat(only(run(input(local, a, sharedOnly, "cold", NONE, List.of())), "POOL_MISSING", Severity.BLOCKER).message())
                .contains("host-b has no unshared pool");
        HostInfo none = host("host-b", "tcg", x -> {
            x.pools = List.of();
            return x;
        });
        assertThat(only(run(input(local, a, none, "live", NONE, List.of())), "POOL_MISSING", Severity.BLOCKER).message())
                .contains("host-b has no storage pool");
    }

    @Test
    void maintenanceUnreachabilitySameHostAndAStoppedGuestComeFirst() {
        HostInfo a = host("host-a", "tcg");
        HostInfo b = host("host-b", "tcg");
        AssessmentInput base = input(vm("qemu64"), a, b, "live", NONE, List.of());
        AssessmentInput inMaintenance = new AssessmentInput("web1", base.spec(), VmState.SHUTOFF, "live", a, b, "host-b", null,
                new MaintenanceStore.Entry("host-b", Instant.parse("2026-12-04T20:00:00Z"), "new disks"), base.disks(), Map.of(),
                base.capacity(), base.cluster(), null);
        List<Finding> f = run(inMaintenance);
        assertThat(blockers(f)).containsExactly("HOST_IN_MAINTENANCE", "VM_NOT_RUNNING");
        assertThat(f.get(0).message()).contains("host-b is in maintenance since 2026-12-04T20:00:00Z (new disks)");
        AssessmentInput unreachable = new AssessmentInput("web1", base.spec(), VmState.RUNNING, "live", a, null, "host-b",
                "connection refused", null, base.disks(), Map.of(), null, base.cluster(), null);
        assertThat(blockers(run(unreachable))).containsExactly("HOST_UNREACHABLE");
        assertThat(blockers(run(input(vm("qemu64"), a, a, "live", NONE, List.of())))).containsExactly("SAME_HOST");
    }
}

package dev.ferry.controller.assess;

import dev.ferry.agent.host.QemuCapabilities;
import dev.ferry.agent.testing.RecordedQemu;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.HostInfo.PoolInfo;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.vm.VmState;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hosts for the assessment's unit tests, built from the QEMU capability documents recorded on this
 * machine ({@link RecordedQemu}): a TCG host and a KVM host differ exactly as this QEMU reports
 * (unavailable CPU features per accelerator). Changes a test makes on top (an older version, fewer
 * machine types, other pools) are explicit in the test.
 */
final class Hosts {
    static final long GIB = 1L << 30;
    static final List<String> FLAGS = List.of("fpu", "sse2", "ssse3", "avx2", "vmx");

    private Hosts() {}

    static HostInfo host(String name, String accelerator) { return host(name, accelerator, UnaryOperator.identity()); }

    static HostInfo host(String name, String accelerator, UnaryOperator<Builder> change) {
        QemuCapabilities c = RecordedQemu.capabilities(accelerator);
        Builder b = change.apply(new Builder(name, accelerator, c));
        return new HostInfo(name, "dev", "GenuineIntel", b.cpuModel, b.flags, b.cpus, b.qemuVersion, accelerator, "test",
                b.caps.machineTypes(), b.caps.cpuModels(), b.memTotal, b.memAvail, b.pools, b.networks, "127.0.0.1", null,
                b.caps.cpuDefinitions(), b.aliases == null ? b.caps.machineAliases() : b.aliases, b.uefi, false);
    }

    /** What a test may change about a recorded host. */
    static final class Builder {
        QemuCapabilities caps;
        String cpuModel = "Intel Xeon";
        List<String> flags = FLAGS;
        int cpus = 4;
        String qemuVersion = "10.0.2";
        long memTotal = 8192;
        long memAvail = 6000;
        List<PoolInfo> pools = List.of(new PoolInfo("shared", "/srv/shared", true, 100 * GIB, 50 * GIB),
                new PoolInfo("local", "/srv/local", false, 100 * GIB, 40 * GIB));
        List<NetworkDef> networks = List.of(NetworkDef.user("user"));
        Map<String, String> aliases;
        Boolean uefi = true;

        Builder(String name, String accelerator, QemuCapabilities caps) { this.caps = caps; }
    }

    static VmSpec vm(String cpu, String machine, int memoryMiB, int vcpus, List<DiskSpec> disks, List<NicSpec> nics) {
        return new VmSpec("web1", null, vcpus, memoryMiB, cpu, machine, Firmware.BIOS, new BootSpec(null, null, null, "root"), disks,
                nics, null);
    }

    static VmSpec vm(String cpu) {
        return vm(cpu, "q35", 1024, 2, List.of(disk("root", "/srv/shared/web1.img")), List.of(nic("user")));
    }

    static DiskSpec disk(String id, String path) { return new DiskSpec(id, path, DiskFormat.RAW, null, null); }

    static NicSpec nic(String network) { return new NicSpec(NicModel.VIRTIO, network, null); }

    static DiskInfo diskInfo(String id, String path, long allocated) {
        return new DiskInfo(id, path, DiskFormat.RAW, allocated, allocated, null, null);
    }

    /** The input of moving {@code spec} from {@code src} to {@code dst} (state running, mode live unless given). */
    static AssessmentInput input(VmSpec spec, HostInfo src, HostInfo dst, String mode, CapacityLedger ledger, List<VmSpec> onDst) {
        HostCapacity cap = dst == null ? null : HostCapacity.of(dst, onDst, ledger.on(dst.name()), CapacityPolicy.defaults().limitsOf(dst.name()));
        return new AssessmentInput(spec.name(), spec, VmState.RUNNING, mode, src, dst, dst == null ? "host-b" : dst.name(), null, null,
                spec.disks().stream().map(d -> diskInfo(d.id(), d.path(), 1 * GIB)).toList(), Map.of(), cap,
                dst == null ? List.of(src) : List.of(src, dst), null);
    }
}

package dev.ferry.controller.assess;

import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.VmSpec;
import java.util.List;

/**
 * What one host can still take, by the controller's own books: its memory ({@code memoryTotalMiB
 * x memoryOvercommit - reservedMemoryMiB}) and vCPUs ({@code cpuCount x cpuOvercommit -
 * reservedVcpus}) minus what the VMs the inventory places there use (memory plus QEMU's overhead
 * each) minus what the {@link CapacityLedger} has already promised it (plus what it freed), and
 * each pool's free bytes minus the ledger's bytes for it. The ledger's memory is taken as the
 * caller recorded it (a plan records the VM's memory; {@link Assessor#commit} adds
 * QEMU's overhead for it). Pure arithmetic, so it is tested alone.
 */
public record HostCapacity(String host, long memoryCapacityMiB, long memoryUsedMiB, long memoryCommittedMiB, int vcpuCapacity,
                           int vcpusUsed, int vcpusCommitted, int vmCount, CapacityLedger.Load ledger, List<HostInfo.PoolInfo> pools) {

    /** The books of {@code info}'s host with {@code vmsThere} on it, {@code load} promised by a ledger, under {@code limits}. */
    public static HostCapacity of(HostInfo info, List<VmSpec> vmsThere, CapacityLedger.Load load, CapacityPolicy.Limits limits) {
        long memCap = (long) Math.floor(info.memoryTotalMiB() * limits.memoryOvercommit()) - limits.reservedMemoryMiB();
        int cpuCap = (int) Math.floor(info.cpuCount() * limits.cpuOvercommit()) - limits.reservedVcpus();
        long memUsed = vmsThere.stream().mapToLong(s -> memoryOf(s) + limits.vmOverheadMiB()).sum();
        int cpuUsed = vmsThere.stream().mapToInt(HostCapacity::vcpusOf).sum();
        return new HostCapacity(info.name(), Math.max(memCap, 0), memUsed, load.memoryMiB(), Math.max(cpuCap, 0), cpuUsed, load.vcpus(),
                vmsThere.size(), load, info.pools());
    }

    /** Memory (MiB) still free for new VMs; negative when the host is already over its books. */
    public long freeMemoryMiB() { return memoryCapacityMiB - memoryUsedMiB - memoryCommittedMiB; }

    /** vCPUs still free; negative when overbooked. */
    public int freeVcpus() { return vcpuCapacity - vcpusUsed - vcpusCommitted; }

    /** Free bytes of pool {@code name} after the ledger's promises; -1 when the host has no such pool. */
    public long poolFreeBytes(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> p.freeBytes() - ledger.poolBytes(name)).orElse(-1L);
    }

    static long memoryOf(VmSpec s) { return s.memoryMiB() == null ? 0 : s.memoryMiB(); }

    static int vcpusOf(VmSpec s) { return s.vcpus() == null ? 1 : s.vcpus(); }
}

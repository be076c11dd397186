package dev.ferry.api.host;

import java.util.List;

/**
 * A host's inventory as its agent reports it. The controller uses it to decide whether a VM can
 * move to this host (same accelerator, CPU model and machine type supported, memory, storage) and
 * where to send migration traffic ({@code migrationAddress}).
 */
public record HostInfo(
        String name,
        String agentVersion,
        String cpuVendor,
        String cpuModel,
        List<String> cpuFlags,
        int cpuCount,
        String qemuVersion,
        String accelerator,
        String acceleratorReason,
        List<String> machineTypes,
        List<String> cpuModels,
        long memoryTotalMiB,
        long memoryAvailableMiB,
        List<PoolInfo> pools,
        List<NetworkDef> networks,
        String migrationAddress,
        String certificateFingerprint) {

    /** A storage pool (a directory) and its capacity. {@code shared}: the same files are visible on other hosts. */
    public record PoolInfo(String name, String path, boolean shared, long capacityBytes, long freeBytes) {}
}

package dev.ferry.api.host;

import java.util.List;

/**
 * A host's inventory as its agent reports it. The controller uses it to decide whether a VM can
 * move to this host (same accelerator, CPU model and machine type supported, memory, storage) and
 * where to send migration traffic ({@code migrationAddress}). The fields after
 * {@code certificateFingerprint} came later (CPU definitions with their unavailable features,
 * machine-type aliases such as {@code q35 -> pc-q35-10.0}, whether UEFI firmware is configured,
 * agent-side maintenance); an older agent leaves them out and readers treat them as unknown.
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
        String certificateFingerprint,
        List<CpuDefinition> cpuDefinitions,
        java.util.Map<String, String> machineAliases,
        Boolean uefiFirmware,
        Boolean maintenance) {

    public HostInfo {
        cpuDefinitions = cpuDefinitions == null ? List.of() : List.copyOf(cpuDefinitions);
        machineAliases = machineAliases == null ? java.util.Map.of() : java.util.Map.copyOf(machineAliases);
    }

    /** The inventory as agents before the capability probe reported it (no CPU definitions, aliases, firmware, maintenance). */
    public HostInfo(String name, String agentVersion, String cpuVendor, String cpuModel, List<String> cpuFlags, int cpuCount,
                    String qemuVersion, String accelerator, String acceleratorReason, List<String> machineTypes,
                    List<String> cpuModels, long memoryTotalMiB, long memoryAvailableMiB, List<PoolInfo> pools,
                    List<NetworkDef> networks, String migrationAddress, String certificateFingerprint) {
        this(name, agentVersion, cpuVendor, cpuModel, cpuFlags, cpuCount, qemuVersion, accelerator, acceleratorReason, machineTypes,
                cpuModels, memoryTotalMiB, memoryAvailableMiB, pools, networks, migrationAddress, certificateFingerprint, null, null,
                null, null);
    }

    /**
     * One CPU model as this host's QEMU reports it in {@code query-cpu-definitions}, asked with the
     * accelerator the agent runs guests with: the features of the model this host cannot provide
     * ({@code unavailableFeatures}; empty means a guest with this model runs here), and whether QEMU
     * calls the model migration-safe (false for {@code host} and {@code max}).
     */
    public record CpuDefinition(String name, String aliasOf, List<String> unavailableFeatures, boolean migrationSafe) {
        public CpuDefinition {
            unavailableFeatures = unavailableFeatures == null ? List.of() : List.copyOf(unavailableFeatures);
        }

        public boolean runnable() { return unavailableFeatures.isEmpty(); }
    }

    /** The definition of CPU model {@code name} (or the model it aliases), if this host's QEMU reported one. */
    public java.util.Optional<CpuDefinition> cpuDefinition(String model) {
        return cpuDefinitions.stream().filter(d -> d.name().equals(model)).findFirst();
    }

    /** True when the agent says it is in maintenance (it then refuses new VMs and incoming migrations). */
    public boolean inMaintenance() { return Boolean.TRUE.equals(maintenance); }

    /** A storage pool (a directory) and its capacity. {@code shared}: the same files are visible on other hosts. */
    public record PoolInfo(String name, String path, boolean shared, long capacityBytes, long freeBytes) {}
}

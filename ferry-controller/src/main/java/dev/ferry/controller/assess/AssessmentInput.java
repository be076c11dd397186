package dev.ferry.controller.assess;

import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.store.MaintenanceStore;
import java.util.List;
import java.util.Map;

/**
 * Everything the checks of one assessment read, gathered once by {@link Assessor} (from the agents,
 * the inventory, the maintenance flags and the pool proofs) so the checks themselves are pure
 * functions of it and are unit-tested on recorded capability documents.
 *
 * @param mode        live, warm or cold: what the checks judge (a stopped VM can only move cold)
 * @param destination the destination's fresh inventory; null when its agent did not answer ({@code unreachableWhy})
 * @param disks       the source's view of the VM's disks (allocated sizes); empty if it could not say
 * @param poolProofs  per disk id on a pool both hosts declare shared: whether a marker proved it shared
 * @param cluster     the inventory of every registered host, for the cluster-wide CPU model
 * @param targetPool  the destination pool a request names for copies, null to let the planner pick
 */
public record AssessmentInput(String vm, VmSpec spec, VmState state, String mode, HostInfo source, HostInfo destination,
                              String destinationName, String unreachableWhy, MaintenanceStore.Entry maintenance,
                              List<DiskInfo> disks, Map<String, PoolProof> poolProofs, HostCapacity capacity,
                              List<HostInfo> cluster, String targetPool) {

    /**
     * The result of proving one disk's pool shared: {@code shared}, what was seen (for the
     * message), the two pools compared, and whether they are at the same path on both hosts.
     */
    public record PoolProof(boolean shared, String detail, String sourcePool, String sourcePath, String destinationPool,
                            String destinationPath, boolean samePath) {}

    public AssessmentInput {
        disks = disks == null ? List.of() : List.copyOf(disks);
        poolProofs = poolProofs == null ? Map.of() : Map.copyOf(poolProofs);
        cluster = cluster == null ? List.of() : List.copyOf(cluster);
    }

    public boolean live() { return !"cold".equals(mode); }
}

package dev.ferry.controller.assess;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.controller.migration.phase.ColdPlan;
import dev.ferry.controller.migration.storage.StoragePlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The capacity checks of an assessment: memory and vCPUs against the destination's books
 * ({@link HostCapacity}) and its memory available right now, and storage: every disk either on a
 * pool both hosts declare shared (same name or same path) and a marker proved shared, at the same
 * path on both, or copied into a destination pool
 * with room for it (the pool StoragePlanner, for live and warm, or ColdPlan, for cold, would pick,
 * and the room StoragePlanner asks for). Pure functions of an {@link AssessmentInput}.
 */
final class ResourceChecks {
    private ResourceChecks() {}

    static List<Finding> compute(AssessmentInput in, CapacityPolicy.Limits limits) {
        List<Finding> out = new ArrayList<>();
        HostInfo dst = in.destination();
        HostCapacity cap = in.capacity();
        long need = HostCapacity.memoryOf(in.spec()) + limits.vmOverheadMiB();
        String vm = in.vm();
        if (need > cap.freeMemoryMiB()) {
            out.add(Finding.blocker(FindingCode.MEMORY, "'" + vm + "' needs " + need + " MiB (" + HostCapacity.memoryOf(in.spec())
                    + " + " + limits.vmOverheadMiB() + " overhead) but " + dst.name() + " has " + cap.freeMemoryMiB() + " MiB left of "
                    + cap.memoryCapacityMiB() + " (" + dst.memoryTotalMiB() + " MiB x " + limits.memoryOvercommit() + " - "
                    + limits.reservedMemoryMiB() + " reserved; " + cap.memoryUsedMiB() + " used by " + cap.vmCount() + " VMs"
                    + (cap.memoryCommittedMiB() == 0 ? "" : ", " + cap.memoryCommittedMiB() + " committed by the plan") + ")"));
        } else if (need > dst.memoryAvailableMiB()) {
            out.add(Finding.blocker(FindingCode.MEMORY, "'" + vm + "' needs " + need + " MiB but " + dst.name() + " has only "
                    + dst.memoryAvailableMiB() + " MiB available right now (MemAvailable)"));
        }
        int vcpus = HostCapacity.vcpusOf(in.spec());
        if (vcpus > cap.freeVcpus()) {
            out.add(Finding.blocker(FindingCode.VCPUS, "'" + vm + "' needs " + vcpus + " vCPUs but " + dst.name() + " has "
                    + cap.freeVcpus() + " left of " + cap.vcpuCapacity() + " (" + dst.cpuCount() + " CPUs x " + limits.cpuOvercommit()
                    + " - " + limits.reservedVcpus() + " reserved; " + cap.vcpusUsed() + " used"
                    + (cap.vcpusCommitted() == 0 ? "" : ", " + cap.vcpusCommitted() + " committed by the plan") + ")"));
        } else if (vcpus > dst.cpuCount()) {
            out.add(Finding.warning(FindingCode.VCPUS, "'" + vm + "' has " + vcpus + " vCPUs, more than the " + dst.cpuCount()
                    + " CPUs of " + dst.name()));
        }
        if (out.stream().noneMatch(Finding::isBlocker)) {
            out.add(Finding.info(FindingCode.CAPACITY, dst.name() + " keeps " + (cap.freeMemoryMiB() - need) + " MiB and "
                    + (cap.freeVcpus() - vcpus) + " vCPUs free after '" + vm + "' arrives"));
        }
        return out;
    }

    /** Disk findings, and in {@code copies} the bytes each destination pool receives. */
    static List<Finding> storage(AssessmentInput in, Map<String, Long> copies) {
        List<Finding> out = new ArrayList<>();
        HostInfo src = in.source();
        HostInfo dst = in.destination();
        Map<String, List<DiskInfo>> byPool = new LinkedHashMap<>();
        for (DiskSpec d : in.spec().disks()) {
            AssessmentInput.PoolProof proof = in.poolProofs().get(d.id());
            if (proof != null && !proof.shared()) {
                out.add(Finding.blocker(FindingCode.POOL_NOT_SHARED, "disk '" + d.id() + "' of '" + in.vm() + "' (" + d.path()
                        + ") is on pool '" + proof.sourcePool() + "', which " + src.name() + " and " + dst.name() + " (pool '"
                        + proof.destinationPool() + "') declare shared, but it is not the same storage: " + proof.detail()));
                continue;
            }
            if (proof != null && !proof.samePath()) {
                out.add(Finding.blocker(FindingCode.POOL_PATH_DIFFERS, "disk '" + d.id() + "' of '" + in.vm() + "' is on pool '"
                        + proof.sourcePool() + "', the same storage as pool '" + proof.destinationPool() + "' of " + dst.name()
                        + " but at " + proof.sourcePath() + " on " + src.name() + " and " + proof.destinationPath() + " on " + dst.name()
                        + "; the destination opens a disk"
                        + " at its source path, so both hosts must mount the pool at the same path"));
                continue;
            }
            if (StoragePlanner.sharedByBoth(src, dst, d)) {
                out.add(Finding.info(FindingCode.POOL_SHARED, "disk '" + d.id() + "' stays on shared storage, not copied"
                        + (proof == null ? " (not proven)" : " (" + proof.detail() + ")")));
                continue;
            }
            Optional<HostInfo.PoolInfo> pool = targetPool(in, d, out);
            if (pool.isEmpty()) continue;
            byPool.computeIfAbsent(pool.get().name(), k -> new ArrayList<>()).add(info(in, d));
        }
        byPool.forEach((pool, disks) -> {
            long needed = StoragePlanner.bytesNeeded(disks);
            long free = in.capacity().poolFreeBytes(pool);
            copies.put(pool, needed);
            List<String> ids = disks.stream().map(DiskInfo::id).toList();
            if (free < needed) {
                out.add(Finding.blocker(FindingCode.POOL_SPACE, "pool '" + pool + "' of " + dst.name() + " has " + mib(free)
                        + " MiB free; the disks " + ids + " of '" + in.vm() + "' need " + mib(needed) + " MiB there"));
            } else {
                out.add(Finding.info(FindingCode.POOL_SPACE, "disks " + ids + " are copied to pool '" + pool + "' of " + dst.name() + " ("
                        + mib(needed) + " MiB of " + mib(free) + " MiB free)"));
            }
        });
        return out;
    }

    private static Optional<HostInfo.PoolInfo> targetPool(AssessmentInput in, DiskSpec d, List<Finding> out) {
        HostInfo dst = in.destination();
        if (!in.live()) {
            Optional<HostInfo.PoolInfo> p = ColdPlan.targetPool(in.source(), dst, d);
            if (p.isEmpty()) {
                out.add(Finding.blocker(FindingCode.POOL_MISSING, "disk '" + d.id() + "' of '" + in.vm() + "' is not on storage both hosts"
                        + " share, and " + dst.name() + " has no unshared pool to copy it to (pools: "
                        + dst.pools().stream().map(HostInfo.PoolInfo::name).toList() + ")"));
            }
            return p;
        }
        try {
            return Optional.of(StoragePlanner.targetPool(dst, in.targetPool()));
        } catch (FerryException e) {
            out.add(Finding.blocker(FindingCode.POOL_MISSING, "disk '" + d.id() + "' of '" + in.vm() + "' must be copied: "
                    + e.getMessage()));
            return Optional.empty();
        }
    }

    /** The source's view of the disk; without one (the source could not say), its size is unknown and counted as 0. */
    private static DiskInfo info(AssessmentInput in, DiskSpec d) {
        return in.disks().stream().filter(i -> i.id().equals(d.id())).findFirst()
                .orElse(new DiskInfo(d.id(), d.path(), d.format(), 0, 0, null, null));
    }

    private static long mib(long bytes) { return bytes >> 20; }
}

package dev.ferry.controller.migration.storage;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.migration.StorageOptions;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.controller.migration.MigrationContext;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides, during validation, how a migration treats the VM's disks. Disks on a pool both hosts
 * mark shared stay where they are. If every disk is shared there is nothing to copy (plain live
 * migration, no plan). Otherwise the other disks are mirrored to a pool of the destination: the
 * one the request names, else the destination pool with the most free space; it must have room
 * for the data the disks hold now (their allocated bytes, plus a margin), since a mirror copies
 * only allocated data and leaves zeroes sparse.
 */
public final class StoragePlanner {
    /** Room to spare on the destination pool beyond the allocated bytes: 5% plus 64 MiB. */
    static final long MARGIN_BYTES = 64L << 20;

    private StoragePlanner() {}

    /** The plan for the VM's local disks, or null when every disk is on storage both hosts share. */
    public static StoragePlan plan(MigrationContext ctx, HostInfo src, HostInfo dst, VmSpec spec) {
        List<DiskSpec> local = spec.disks().stream().filter(d -> !sharedByBoth(src, dst, d)).toList();
        if (local.isEmpty()) return null;
        StorageOptions opts = ctx.request().storageOrDefault();
        List<DiskInfo> infos = StorageClient.of(ctx.source()).disks(ctx.vm()).disks().stream()
                .filter(i -> local.stream().anyMatch(d -> d.id().equals(i.id()))).toList();
        long needed = bytesNeeded(infos);
        HostInfo.PoolInfo pool = targetPool(dst, opts.targetPool());
        if (pool.freeBytes() < needed) {
            throw new FerryException(ErrorCode.INVALID_STATE, "pool '" + pool.name() + "' of " + dst.name() + " has "
                    + mib(pool.freeBytes()) + " MiB free; the disks " + local.stream().map(DiskSpec::id).toList() + " of '"
                    + ctx.vm() + "' need " + mib(needed) + " MiB there");
        }
        return new StoragePlan(infos, pool.name(), opts.diskFormat(), opts.isKeepSource() || ctx.request().keepsSource());
    }

    /** Room a destination pool needs for copies of {@code disks}: their allocated bytes, plus 5% and 64 MiB. */
    public static long bytesNeeded(List<DiskInfo> disks) {
        long needed = disks.stream().mapToLong(i -> Math.max(i.actualSize(), 0)).sum();
        return needed + needed / 20 + MARGIN_BYTES;
    }

    /** The pool of {@code dst} a live migration copies local disks to: {@code wanted}, else the one with the most free space. */
    public static HostInfo.PoolInfo targetPool(HostInfo dst, String wanted) {
        if (wanted != null) {
            return dst.pools().stream().filter(p -> p.name().equals(wanted)).findFirst().orElseThrow(() ->
                    new FerryException(ErrorCode.INVALID_ARGUMENT, dst.name() + " has no storage pool '" + wanted + "' (pools: "
                            + dst.pools().stream().map(HostInfo.PoolInfo::name).toList() + ")"));
        }
        Optional<HostInfo.PoolInfo> best = dst.pools().stream().max(Comparator.comparingLong(HostInfo.PoolInfo::freeBytes));
        return best.orElseThrow(() -> new FerryException(ErrorCode.INVALID_STATE, dst.name()
                + " has no storage pool to copy the VM's local disks to"));
    }

    /** The image is on a pool both hosts mark shared: the destination opens the same file, nothing is copied. */
    public static boolean sharedByBoth(HostInfo src, HostInfo dst, DiskSpec d) {
        return onSharedPool(src, d) && onSharedPool(dst, d);
    }

    public static boolean onSharedPool(HostInfo host, DiskSpec d) {
        Path p = Path.of(d.path()).normalize();
        return host.pools().stream().anyMatch(pool -> pool.shared() && p.startsWith(Path.of(pool.path()).normalize()));
    }

    private static long mib(long bytes) { return bytes >> 20; }
}

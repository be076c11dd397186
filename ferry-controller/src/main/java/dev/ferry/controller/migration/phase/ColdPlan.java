package dev.ferry.controller.migration.phase;

import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.DiskSpec;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * Where a cold migration puts each disk that is not on a pool both hosts share
 * ({@link dev.ferry.controller.migration.storage.StoragePlanner#sharedByBoth}): into a destination pool, the one with the
 * source pool's name if the destination has an unshared one, otherwise the unshared pool with the
 * most free space, under the image's own file name.
 */
public final class ColdPlan {
    private ColdPlan() {}

    public static Optional<HostInfo.PoolInfo> targetPool(HostInfo src, HostInfo dst, DiskSpec d) {
        Path p = Path.of(d.path()).normalize();
        Optional<String> sourcePool = src.pools().stream().filter(pool -> p.startsWith(Path.of(pool.path()).normalize()))
                .map(HostInfo.PoolInfo::name).findFirst();
        Optional<HostInfo.PoolInfo> same = sourcePool.flatMap(n -> dst.pools().stream()
                .filter(pool -> pool.name().equals(n) && !pool.shared()).findFirst());
        if (same.isPresent()) return same;
        return dst.pools().stream().filter(pool -> !pool.shared()).max(Comparator.comparingLong(HostInfo.PoolInfo::freeBytes));
    }

    static String fileName(DiskSpec d) { return Path.of(d.path()).getFileName().toString(); }
}

package dev.ferry.bench.live;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs, from the environment so {@code run.sh} can pass them through: the link
 * rates, the maximum downtime every policy is judged against, the ceiling after which a migration
 * that still runs is stopped (QEMU's defaults never give up on their own), and where results go.
 *
 * @param settleMs how long a freshly booted guest runs before the migration (its worker reaches its rate)
 */
public record BenchSettings(List<String> links, long maxDowntimeMs, long ceilingMs, long settleMs, int migrationPort,
                            List<String> workloads, Path benchDir, Path resultsDir, Path workDir) {

    public static BenchSettings fromEnv(Map<String, String> env, Path benchDir) {
        List<String> links = Arrays.asList(env.getOrDefault("LINKS", "1gbit 100mbit").trim().split("\\s+"));
        for (String l : links) {
            if (!l.equals("1gbit") && !l.equals("100mbit")) throw new IllegalArgumentException("LINKS: 1gbit and/or 100mbit, not " + l);
        }
        List<String> workloads = Arrays.asList(env.getOrDefault("WORKLOADS",
                String.join(" ", Workload.matrix().stream().map(Workload::id).toList())).trim().split("\\s+"));
        long ceiling = Long.parseLong(env.getOrDefault("CEILING_S", "240")) * 1000;
        long downtime = Long.parseLong(env.getOrDefault("MAX_DOWNTIME_MS", "300"));
        Path results = Path.of(env.getOrDefault("RESULTS", benchDir.resolve("results").toString()));
        Path work = Path.of(env.getOrDefault("WORK", "/var/tmp/ferry-bench-live"));
        return new BenchSettings(List.copyOf(links), downtime, ceiling, 2000, 49200, List.copyOf(workloads), benchDir, results, work);
    }

    /** The tc rate in bytes per second. */
    public static double nominalBytesPerSec(String link) {
        return switch (link) {
            case "1gbit" -> 1e9 / 8;
            case "100mbit" -> 1e8 / 8;
            default -> throw new IllegalArgumentException(link);
        };
    }
}

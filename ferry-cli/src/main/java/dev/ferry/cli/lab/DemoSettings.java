package dev.ferry.cli.lab;

import java.nio.file.Path;

/**
 * The choices of one {@code ferry demo} run, checked before anything is created so that a typo
 * costs nothing.
 *
 * @param home           the repository (for {@code guest/build.sh} and the printed {@code ./ferry} commands)
 * @param shape          null, {@code 1gbit} or {@code 100mbit}: a {@code tc} limit on the migration link
 * @param rounds         how many migrations, alternating host-a -> host-b -> host-a ...
 * @param loopbackOnly   skip network namespaces even when root
 */
public record DemoSettings(Path home, Path dir, boolean keep, Integer bandwidthMiBps, Integer maxDowntimeMs, String shape,
                           int rounds, boolean loopbackOnly) {
    public DemoSettings {
        if (rounds < 1 || rounds > 100) throw new LabException("--rounds must be between 1 and 100");
        if (bandwidthMiBps != null && bandwidthMiBps < 1) throw new LabException("--bandwidth must be at least 1 MiB/s");
        if (maxDowntimeMs != null && (maxDowntimeMs < 1 || maxDowntimeMs > 60_000)) {
            throw new LabException("--max-downtime must be between 1 and 60000 ms");
        }
        if (shape != null && !shape.equals("1gbit") && !shape.equals("100mbit")) {
            throw new LabException("--shape must be 1gbit or 100mbit, not '" + shape + "'");
        }
        if (shape != null && loopbackOnly) throw new LabException("--shape needs the network-namespace lab; drop --loopback");
    }

    /** The default work directory of this process: /tmp/ferry-demo-PID. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "ferry-demo-" + ProcessHandle.current().pid());
    }

    /** Where the host for round {@code n} (from 1) moves from: host-a on odd rounds, host-b on even. */
    public static String source(int round) { return round % 2 == 1 ? "host-a" : "host-b"; }

    public static String destination(int round) { return round % 2 == 1 ? "host-b" : "host-a"; }
}

package dev.ferry.cli.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The choices of one {@code ferry demo} run, checked before anything is created so that a typo
 * costs nothing. Two shapes of demo exist: the migration rounds (each round moves every VM one host
 * onward, host-a -> host-b -> ... -> host-a; with two hosts and one VM that is the classic back and
 * forth) and {@code --evacuate} (guests placed mostly on host-a, then host-a emptied through the
 * controller's evacuation plan, which picks the destinations itself; rounds make no sense there).
 *
 * @param home           the repository (for {@code guest/build.sh} and the printed {@code ./ferry} commands)
 * @param shape          null, {@code 1gbit} or {@code 100mbit}: a {@code tc} limit on each host's migration link
 * @param rounds         how many migration rounds; null when not given (1, and refused with {@code --evacuate})
 * @param loopbackOnly   skip network namespaces even when root
 * @param hosts          lab hosts, {@value AddressPlan#MIN_HOSTS} to {@value AddressPlan#MAX_HOSTS}
 * @param vms            test guests, 1 to {@value #MAX_VMS}
 * @param evacuate       evacuate host-a through a plan instead of migration rounds
 */
public record DemoSettings(Path home, Path dir, boolean keep, Integer bandwidthMiBps, Integer maxDowntimeMs, String shape,
                           Integer rounds, boolean loopbackOnly, int hosts, int vms, boolean evacuate) {
    public static final int MAX_VMS = 8;

    public DemoSettings {
        if (hosts < AddressPlan.MIN_HOSTS || hosts > AddressPlan.MAX_HOSTS) {
            throw new LabException("--hosts must be between " + AddressPlan.MIN_HOSTS + " and " + AddressPlan.MAX_HOSTS + ", not " + hosts);
        }
        if (vms < 1 || vms > MAX_VMS) throw new LabException("--vms must be between 1 and " + MAX_VMS + ", not " + vms);
        if (evacuate && rounds != null) {
            throw new LabException("--rounds does not apply to --evacuate (the evacuation plan moves each guest once); drop one of them");
        }
        if (evacuate && bandwidthMiBps != null) {
            throw new LabException("--bandwidth does not apply to --evacuate (the plan sets each move's limits); drop one of them");
        }
        if (evacuate && maxDowntimeMs != null) {
            throw new LabException("--max-downtime does not apply to --evacuate (the plan sets each move's limits); drop one of them");
        }
        if (rounds == null) rounds = 1;
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

    /** The classic two-host, one-VM demo. */
    public DemoSettings(Path home, Path dir, boolean keep, Integer bandwidthMiBps, Integer maxDowntimeMs, String shape,
                        int rounds, boolean loopbackOnly) {
        this(home, dir, keep, bandwidthMiBps, maxDowntimeMs, shape, (Integer) rounds, loopbackOnly, 2, 1, false);
    }

    /** The default work directory of this process: /tmp/ferry-demo-PID. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "ferry-demo-" + ProcessHandle.current().pid());
    }

    /** Where the host for round {@code n} (from 1) moves from: host-a on odd rounds, host-b on even. */
    public static String source(int round) { return source(0, round, 2); }

    public static String destination(int round) { return destination(0, round, 2); }

    /** Where guest {@code vm} (from 0) starts, and so where it is in round {@code 1}: host-a, host-b, ... in turn. */
    public static String source(int vm, int round, int hosts) { return AddressPlan.hostName((vm + round - 1) % hosts); }

    public static String destination(int vm, int round, int hosts) { return AddressPlan.hostName((vm + round) % hosts); }

    /** The guests' names: {@code demo} alone, else demo-1 .. demo-N. */
    public List<String> vmNames() { return DemoGuest.names(vms); }

    /**
     * Where each guest boots. Rounds: guest i on host i mod hosts. Evacuation: all but a quarter of
     * them on host-a (3 of 4), the others spread over the remaining hosts.
     */
    public List<String> placement() {
        List<String> at = new ArrayList<>();
        int onA = evacuate ? vms - vms / 4 : 0;
        for (int i = 0; i < vms; i++) {
            if (!evacuate) at.add(source(i, 1, hosts));
            else at.add(i < onA ? "host-a" : AddressPlan.hostName(1 + (i - onA) % (hosts - 1)));
        }
        return at;
    }
}

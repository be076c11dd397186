package dev.ferry.bench.evacuation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs, from the environment so {@code run.sh} can pass them through.
 *
 * @param links     tc rates of every host's link: 1gbit and/or 100mbit
 * @param vms       guests on host-a
 * @param guestMib  each guest's memory (GUEST_MIB, default 128)
 * @param bufferMib the memory worker's buffer, filled once at boot (BUFFER_MIB, default 48)
 * @param wssMib    the part of the buffer rewritten afterwards (WSS_MIB; 0, the default, is all of it)
 * @param dirtyMiBps how fast each guest's memory worker rewrites its working set
 * @param ceilingMs  a run still going after this long is given up (the report says so)
 */
public record EvacSettings(List<String> links, int vms, int guestMib, int bufferMib, int wssMib, int dirtyMiBps, long ceilingMs,
                           long settleMs, Path liveBenchDir, Path resultsDir, Path workDir) {
    public static final int HOSTS = 3;
    public static final int GUEST_MEMORY_MIB = 128;
    public static final int BUFFER_MIB = 48;

    public EvacSettings {
        for (String l : links) {
            if (!l.equals("1gbit") && !l.equals("100mbit")) throw new IllegalArgumentException("LINKS: 1gbit and/or 100mbit, not " + l);
        }
        if (vms < 1 || vms > 8) throw new IllegalArgumentException("VMS must be between 1 and 8, not " + vms);
        if (dirtyMiBps < 1 || dirtyMiBps > 100) throw new IllegalArgumentException("DIRTY_MIBPS must be between 1 and 100, not " + dirtyMiBps);
        if (bufferMib < 1 || bufferMib + 64 > guestMib) throw new IllegalArgumentException("BUFFER_MIB must be at least 1 and leave 64 MiB of GUEST_MIB ("
                + guestMib + ") to the guest, not " + bufferMib);
        if (wssMib < 0 || wssMib > bufferMib) throw new IllegalArgumentException("WSS_MIB must be between 0 and BUFFER_MIB, not " + wssMib);
        links = List.copyOf(links);
    }

    public static EvacSettings fromEnv(Map<String, String> env, Path benchDir) {
        List<String> links = Arrays.asList(env.getOrDefault("LINKS", "1gbit").trim().split("\\s+"));
        int vms = Integer.parseInt(env.getOrDefault("VMS", "4"));
        int dirty = Integer.parseInt(env.getOrDefault("DIRTY_MIBPS", "4"));
        int guest = Integer.parseInt(env.getOrDefault("GUEST_MIB", String.valueOf(GUEST_MEMORY_MIB)));
        int buffer = Integer.parseInt(env.getOrDefault("BUFFER_MIB", String.valueOf(BUFFER_MIB)));
        int wss = Integer.parseInt(env.getOrDefault("WSS_MIB", "0"));
        long ceiling = Long.parseLong(env.getOrDefault("CEILING_S", "600")) * 1000;
        Path results = Path.of(env.getOrDefault("RESULTS", benchDir.resolve("results").toString()));
        Path work = Path.of(env.getOrDefault("WORK", "/var/tmp/ferry-bench-evacuation"));
        return new EvacSettings(links, vms, guest, buffer, wss, dirty, ceiling, 2000, benchDir.resolveSibling("live-migration"), results, work);
    }

    /** The guests' kernel command line: the test guest's memory worker at the chosen rate, plus heartbeat and disk checks. */
    public String cmdline() {
        return "console=ttyS0 quiet panic=-1 ferry.mem=" + bufferMib + (wssMib > 0 ? " ferry.memwss=" + wssMib : "") + " ferry.rate="
                + dirtyMiBps + " ferry.hb=100 ferry.disk=vda";
    }

    public static double nominalBytesPerSec(String link) { return dev.ferry.bench.live.BenchSettings.nominalBytesPerSec(link); }
}

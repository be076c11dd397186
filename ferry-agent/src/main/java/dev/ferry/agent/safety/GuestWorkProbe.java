package dev.ferry.agent.safety;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.safety.PerfSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads how much work a running VM does right now, for the post-migration performance check: the
 * CPU time of QEMU's vCPU threads (QMP {@code query-cpus-fast} names each vCPU's thread; its
 * {@code utime + stime} come from {@code /proc/PID/task/TID/stat}, in clock ticks of 10 ms, the
 * USER_HZ of Linux on x86) and the guest's own counters from its console. It exists because the
 * guest's counters alone cannot tell a slow host from a guest that idles, and QEMU's CPU time alone
 * cannot tell useful work from spinning.
 */
final class GuestWorkProbe {
    private static final long MS_PER_TICK = 10;

    private final VmManager vms;
    private final Function<String, GuestHealth> health;

    GuestWorkProbe(VmManager vms, Function<String, GuestHealth> health) {
        this.vms = vms;
        this.health = health;
    }

    PerfSample sample(String name) {
        VmRuntime rt = vms.requireRunning(name);
        long pid = rt.process().pid();
        JsonNode cpus = rt.qmp().execute("query-cpus-fast");
        long ticks = 0;
        int threads = 0;
        for (JsonNode cpu : cpus) {
            long tid = cpu.path("thread-id").asLong(-1);
            if (tid <= 0) continue;
            ticks += cpuTicks(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
            threads++;
        }
        String status = rt.qemuStatus();
        GuestHealth g = health.apply(name);
        return new PerfSample(name, System.currentTimeMillis(), ticks * MS_PER_TICK, threads, status, g.heartbeat(), g.memoryPasses(),
                g.diskSeq());
    }

    /** utime + stime of one thread: fields 14 and 15 of its stat line, counted after the parenthesised name. */
    static long cpuTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + stat + ": " + e.getMessage(), e);
        }
        return ticksOf(line);
    }

    static long ticksOf(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) is f[12].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}

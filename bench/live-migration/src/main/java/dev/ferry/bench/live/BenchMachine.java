package dev.ferry.bench.live;

import dev.ferry.cli.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a benchmark's results say about the machine they were measured on: cores and OS, the QEMU
 * version, and the load average (read before, during and after the runs, since the figures depend
 * on it). Shared by the live-migration and the evacuation bench.
 */
public final class BenchMachine {
    private BenchMachine() {}

    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    public static String qemuVersion() {
        Shell.Result r = new Shell(30).run(List.of("qemu-system-x86_64", "--version"));
        return r.ok() ? r.output().lines().findFirst().orElse("QEMU").replace("QEMU emulator version", "QEMU").strip() : "QEMU ?";
    }

    /** The 1, 5 and 15 minute load averages, or "?" where /proc/loadavg cannot be read. */
    public static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}

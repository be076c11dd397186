package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Measures how fast a running guest dirties its memory with QEMU's {@code calc-dirty-rate} in
 * page-sampling mode, then {@code query-dirty-rate}. Page sampling is the one mode that works for
 * TCG guests (dirty-bitmap mode reports 0 there, dirty-ring needs KVM): QEMU hashes
 * {@link #SAMPLE_PAGES} pages per GiB at the start and the end of the window and counts the
 * changed ones. The maximum sample count is used because the planner's working-set estimate
 * compares two windows and small samples are noisy. The VM lock is not held while QEMU measures:
 * measuring changes nothing, and a migration step must not wait seconds for it. At the end of the
 * window it also reads how much of the guest's RAM is resident in the QEMU process, which bounds
 * what the first pre-copy pass must send in full.
 */
final class DirtyRateProbe {
    /** QEMU's upper bound for sample-pages (MAX_SAMPLE_PAGE_COUNT). */
    static final int SAMPLE_PAGES = 4096;
    static final long MIN_MS = 100;
    static final long MAX_MS = 10_000;
    private static final long POLL_MS = 50;
    private static final long SLACK_MS = 5_000;

    private final VmManager vms;

    DirtyRateProbe(VmManager vms) {
        this.vms = vms;
    }

    DirtyRate measure(String name, long calcTimeMs) {
        if (calcTimeMs < MIN_MS || calcTimeMs > MAX_MS) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "calcTimeMs must be between " + MIN_MS + " and " + MAX_MS);
        }
        VmRuntime rt = vms.requireRunning(name);
        if (!"running".equals(rt.qemuStatus())) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is " + rt.qemuStatus()
                    + "; only a running guest's dirty rate can be measured");
        }
        QmpClient qmp = rt.qmp();
        try {
            qmp.execute("calc-dirty-rate", Map.of("calc-time", calcTimeMs, "calc-time-unit", "millisecond",
                    "sample-pages", SAMPLE_PAGES, "mode", "page-sampling"));
        } catch (QmpCommandException e) {
            throw new FerryException(ErrorCode.VM_BUSY, "QEMU cannot measure the dirty rate of '" + name + "' now: "
                    + e.description(), e);
        }
        long deadline = System.currentTimeMillis() + calcTimeMs + SLACK_MS;
        while (true) {
            sleep(Math.min(POLL_MS, calcTimeMs));
            JsonNode r = qmp.execute("query-dirty-rate");
            if ("measured".equals(r.path("status").asText())) {
                long mibPerSec = r.path("dirty-rate").asLong(0);
                long memory = vms.spec(name).memoryMiB() * 1024L * 1024L;
                return new DirtyRate(mibPerSec * 1024L * 1024L, calcTimeMs, r.path("sample-pages").asLong(SAMPLE_PAGES), memory,
                        residentBytes(rt, memory));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new FerryException(ErrorCode.QMP_TIMEOUT, "QEMU did not finish measuring the dirty rate of '" + name
                        + "' within " + (calcTimeMs + SLACK_MS) + " ms (status " + r.path("status").asText() + ")");
            }
        }
    }

    /**
     * The guest RAM's resident bytes from the QEMU process's smaps ({@link GuestRamSmaps}); null when
     * that cannot be read, which only costs the planner its refinement, never the measurement.
     */
    private static Long residentBytes(VmRuntime rt, long memoryBytes) {
        try {
            byte[] smaps = Files.readAllBytes(Path.of("/proc", String.valueOf(rt.process().pid()), "smaps"));
            return GuestRamSmaps.residentBytes(new String(smaps, StandardCharsets.UTF_8), memoryBytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "interrupted while measuring the dirty rate");
        }
    }
}

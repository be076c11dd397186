package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.SafetyProbeClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.safety.PerfSample;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.time.Duration;
import java.util.Locale;

/**
 * Samples the guest's work on the source for one second before anything moves (the guest's own
 * counters and QEMU's vCPU time, {@link PerfSample}), so the post-migration performance check has
 * something to compare the destination with. A VM that is not running, or an agent that cannot
 * sample, leaves no baseline; the check then says so instead of failing. Changes nothing.
 */
public final class BaselinePhase implements Phase {
    static final Duration WINDOW = Duration.ofSeconds(1);

    @Override
    public String name() { return "baseline"; }

    @Override
    public void run(MigrationContext ctx) {
        try {
            PerfSample first = SafetyProbeClient.of(ctx.source()).perfSample(ctx.vm());
            TransferPhase.sleep(WINDOW);
            PerfSample last = SafetyProbeClient.of(ctx.source()).perfSample(ctx.vm());
            ctx.safety().baseline(first, last);
            ctx.journal().event("check", "work sample on " + ctx.sourceHost() + " before the move: " + describe(first, last));
        } catch (FerryException e) {
            if (e.code() == ErrorCode.MIGRATION_ABORTED) throw e;
            String why = e.code() == ErrorCode.VM_NOT_RUNNING ? "the VM is not running" : e.getMessage();
            ctx.journal().event("info", "no work sample before the move (" + why + "); the performance check will have nothing to compare");
        }
    }

    static String describe(PerfSample a, PerfSample b) {
        double s = Math.max(1, b.atMs() - a.atMs()) / 1000.0;
        return String.format(Locale.ROOT, "over %.1f s: vCPU %.0f ms/s (%d vCPU thread(s)), heartbeat %s, memory passes %s", s,
                (b.vcpuTimeMs() - a.vcpuTimeMs()) / s, b.vcpus(), delta(a.heartbeat(), b.heartbeat(), s),
                delta(a.memoryPasses(), b.memoryPasses(), s));
    }

    private static String delta(Long a, Long b, double s) {
        return a == null || b == null ? "n/a" : String.format(Locale.ROOT, "%.2f/s", (b - a) / s);
    }
}

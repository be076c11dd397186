package dev.ferry.controller.migration.phase;

import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.util.Locale;

/**
 * A warm migration's last step: the destination received the paused guest's state (QEMU keeps a
 * guest that left paused paused), so Ferry resumes it there and reports the downtime it measured
 * from the pause to this resume, next to the estimate "state size over bandwidth".
 */
public final class WarmResumePhase implements Phase {
    @Override
    public String name() { return "resume"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return MigrationRequest.WARM.equals(ctx.request().mode()); }

    @Override
    public void run(MigrationContext ctx) {
        VmState dest = ctx.destination().show(ctx.vm()).state();
        if (dest == VmState.PAUSED) ctx.destination().resume(ctx.vm());
        ctx.modes().resumed();
        MigrationStats s = ctx.lastStats();
        long bytesPerSec = s == null ? 0 : (long) (s.mbps() * 1_000_000 / 8);
        String estimate = s == null || bytesPerSec <= 0 ? "" : String.format(Locale.ROOT,
                "; state %.1f MiB at %.1f MiB/s = %.0f ms expected", s.transferredBytes() / 1048576.0, bytesPerSec / 1048576.0,
                s.transferredBytes() * 1000.0 / bytesPerSec);
        ctx.journal().event("info", "resumed the guest on " + ctx.destinationHost() + "; it was paused for " + ctx.modes().pausedMs()
                + " ms" + estimate);
    }
}

package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.time.Duration;

/**
 * A cold migration's first change: shut the guest down on the source, with the ACPI power button
 * and, if it has not powered off after {@link #ACPI_TIMEOUT_S} s, by force (a paused guest cannot
 * react to the button and is stopped by force at once). Cleanup starts the guest again on the
 * source if it was running, unless the destination has taken over (its own cleanup runs first and
 * removes a destination copy that has not).
 */
public final class ShutdownPhase implements Phase {
    static final int ACPI_TIMEOUT_S = 60;
    private static final Duration START_RETRY = Duration.ofSeconds(30);

    @Override
    public String name() { return "shutdown"; }

    @Override
    public void run(MigrationContext ctx) {
        VmState state = ctx.source().show(ctx.vm()).state();
        if (state == VmState.SHUTOFF) {
            ctx.modes().sourceShutDown(false);
            ctx.journal().event("info", "'" + ctx.vm() + "' is already shut off on " + ctx.sourceHost());
            return;
        }
        ctx.sourceHealth(ctx.source().guestHealth(ctx.vm()));
        boolean paused = state == VmState.PAUSED;
        long t0 = System.nanoTime();
        ctx.modes().sourceShutDown(true);
        ctx.journal().event("shutdown", "shutting '" + ctx.vm() + "' down on " + ctx.sourceHost() + (paused ? " by force (it is paused)"
                : " (ACPI power button, forced after " + ACPI_TIMEOUT_S + " s)"));
        ctx.source().stop(ctx.vm(), new StopRequest(ACPI_TIMEOUT_S, paused));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ctx.source().show(ctx.vm()).state() != VmState.SHUTOFF) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "'" + ctx.vm() + "' did not shut down on " + ctx.sourceHost());
        }
        ctx.journal().event("shutdown", "shut '" + ctx.vm() + "' down on " + ctx.sourceHost() + " in " + ms + " ms"
                + (paused ? " (it was paused: stopped by force)" : ms >= ACPI_TIMEOUT_S * 1000L ? " (forced after the ACPI timeout)" : " (ACPI)"));
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        if (!ctx.modes().sourceWasRunning() || ctx.isSourceFinished()) return;
        long deadline = System.nanoTime() + START_RETRY.toNanos();
        while (ctx.source().show(ctx.vm()).state() == VmState.SHUTOFF) {
            try {
                ctx.source().start(ctx.vm());
                ctx.journal().event("cleanup", "started '" + ctx.vm() + "' again on " + ctx.sourceHost());
                return;
            } catch (FerryException e) {
                // e.g. a disk copy that is still letting go of the image; the source must come back up
                if (System.nanoTime() > deadline) throw e;
                TransferPhase.sleep(Duration.ofMillis(500));
            }
        }
    }
}

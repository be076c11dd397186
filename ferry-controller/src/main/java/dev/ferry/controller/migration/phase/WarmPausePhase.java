package dev.ferry.controller.migration.phase;

import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;

/**
 * A warm migration's first step: pause the guest on the source, so the transfer that follows sends
 * its complete memory and device state in one pass (nothing dirties it any more). The guest is
 * paused from here until the destination resumes it ({@link WarmResumePhase}); that is the
 * downtime, about the state's size over the bandwidth. Cleanup resumes the source unless QEMU has
 * already handed the guest over (then the switchover's cleanup hands it back).
 */
public final class WarmPausePhase implements Phase {
    @Override
    public String name() { return "pause"; }

    @Override
    public boolean appliesTo(MigrationContext ctx) { return MigrationRequest.WARM.equals(ctx.request().mode()); }

    @Override
    public void run(MigrationContext ctx) {
        ctx.sourceHealth(ctx.source().guestHealth(ctx.vm()));
        ctx.source().pause(ctx.vm());
        ctx.modes().paused();
        ctx.journal().event("info", "paused the guest on " + ctx.sourceHost() + "; its whole state goes over in one pass");
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        if (ctx.isTransferCompleted() || !ctx.modes().isPaused()) return;
        if (ctx.source().show(ctx.vm()).state() == VmState.PAUSED) {
            ctx.source().resume(ctx.vm());
            ctx.journal().event("cleanup", "resumed the guest on " + ctx.sourceHost());
        }
    }
}

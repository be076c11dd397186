package dev.ferry.controller.migration;

import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.controller.migration.plan.LivePlan;
import dev.ferry.controller.migration.plan.Prediction;
import dev.ferry.controller.migration.plan.Strategy;

/** The final record of each mode: what the live and warm result add, and a cold migration's result. */
public final class ModeResults {
    private ModeResults() {}

    /** A live or warm result with the mode, the strategy it ended with, the predictions and escalations. */
    public static MigrationResult withMode(MigrationContext ctx, MigrationResult r) {
        ModeState m = ctx.modes();
        String mode = ctx.request().modeOrDefault();
        if (MigrationRequest.WARM.equals(mode)) {
            return new MigrationResult(r.totalTimeMs(), r.downtimeMs(), r.heartbeatGapMs(), r.transferredBytes(), r.iterations(),
                    r.heartbeatBefore(), r.heartbeatAfter(), mode, "one-pass", m.pausedMs(), null, null, null, null);
        }
        LivePlan plan = m.plan();
        Prediction p = plan == null || plan.predictions().isEmpty() ? null : plan.chosen();
        String strategy = m.isPostcopyStarted() ? Strategy.POSTCOPY.label() : plan == null ? "fixed" : plan.strategy().label();
        int escalations = m.escalator() == null ? 0 : m.escalator().escalations();
        return new MigrationResult(r.totalTimeMs(), r.downtimeMs(), r.heartbeatGapMs(), r.transferredBytes(), r.iterations(),
                r.heartbeatBefore(), r.heartbeatAfter(), mode, strategy, null, p == null ? null : p.totalMs(),
                p == null ? null : p.downtimeMs(), null, escalations);
    }

    /** A cold migration's result: total time from the start of the job, the time the guest was off, the bytes copied. */
    public static MigrationResult cold(MigrationContext ctx) {
        ModeState m = ctx.modes();
        Long before = ctx.sourceHealth() == null ? null : ctx.sourceHealth().heartbeat();
        Long after = ctx.destinationHealth() == null ? null : ctx.destinationHealth().heartbeat();
        return new MigrationResult(ctx.elapsedMs(), m.pausedMs(), null, m.copiedBytes(), 0, before, after, MigrationRequest.COLD,
                m.copies().isEmpty() ? "shared-storage" : "disk-copy", m.pausedMs(), null, null, m.copiedBytes(), null);
    }
}

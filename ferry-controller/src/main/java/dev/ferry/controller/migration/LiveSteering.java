package dev.ferry.controller.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.controller.migration.plan.Escalator;
import dev.ferry.controller.migration.plan.LivePlan;
import java.util.Map;

/**
 * Connects the transfer phase to the live plan: the request that starts QEMU's stream (the plan's
 * capabilities, parameters and first downtime limit, or the fixed policy's), and, for every
 * progress reading, the {@link Escalator}'s decision carried out on the source and recorded as an
 * {@code escalate} event. A switch to post-copy ends the pre-copy transfer; the post-copy phase
 * takes over from there.
 */
public final class LiveSteering {
    private LiveSteering() {}

    /** The request that starts the transfer, with QEMU's max-bandwidth by the {@link StreamBandwidth} rule. */
    public static OutgoingRequest request(MigrationContext ctx, StreamBandwidth bandwidth) {
        LivePlan plan = ctx.modes().plan();
        int downtime = plan == null ? ctx.request().maxDowntimeOrDefault() : (int) plan.initialDowntimeMs();
        return new OutgoingRequest(ctx.id(), ctx.incoming().uri(), !ctx.request().isInsecure(), ctx.incoming().tlsHostname(),
                bandwidth.maxBandwidthBytes(), downtime, ctx.modes().capabilities(), plan == null ? Map.of() : plan.parameters());
    }

    /**
     * Judges one reading of the running pre-copy; returns true when the transfer phase should stop
     * following it because post-copy takes over. Throws MIGRATION_FAILED when the escalator gives up
     * (the transfer phase's cleanup then cancels the stream; the guest stays on the source).
     */
    public static boolean onReading(MigrationContext ctx, MigrationStats s) {
        ModeState m = ctx.modes();
        if (m.escalator() == null) {
            LivePlan fixed = LivePlan.fixed(ctx.request().maxDowntimeOrDefault(),
                    ctx.request().maxDurationSeconds() == null ? null : ctx.request().maxDurationSeconds() * 1000L);
            m.planned(m.plan(), new Escalator(m.plan() == null ? fixed : m.plan()));
        }
        Escalator.Action a = m.escalator().onReading(s.totalTimeMs(), s);
        if (a == null) return false;
        // Escalation never touches max-bandwidth (null in every tuning): the StreamBandwidth rule set at the start stays.
        if (a instanceof Escalator.RaiseDowntime r) {
            tune(ctx, new MigrationTuning((int) r.downtimeLimitMs(), null, Map.of()),
                    "downtime limit raised to " + r.downtimeLimitMs() + " ms: " + r.reason());
        } else if (a instanceof Escalator.StartThrottle t) {
            tune(ctx, new MigrationTuning(null, null, t.parameters()), "auto-converge: " + t.reason());
        } else if (a instanceof Escalator.SwitchToPostcopy p) {
            m.requestPostcopy(p.reason());
            return true;
        } else if (a instanceof Escalator.GiveUp g) {
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "the transfer does not converge: " + g.reason());
        }
        return false;
    }

    private static void tune(MigrationContext ctx, MigrationTuning t, String what) {
        try {
            ctx.source().tuneMigration(ctx.vm(), t);
            ctx.journal().event("escalate", what);
        } catch (FerryException e) {
            // the transfer may have completed between the reading and this call; the next reading tells
            ctx.journal().event("warning", "could not escalate (" + what + "): " + e.getMessage());
        }
    }
}

package dev.ferry.controller.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.controller.migration.phase.BackupPhase;
import dev.ferry.controller.migration.phase.BaselinePhase;
import dev.ferry.controller.migration.phase.ColdValidatePhase;
import dev.ferry.controller.migration.phase.ColdVerifyPhase;
import dev.ferry.controller.migration.phase.CopyDisksPhase;
import dev.ferry.controller.migration.phase.MonitorPhase;
import dev.ferry.controller.migration.phase.PlanPhase;
import dev.ferry.controller.migration.phase.PostcopyPhase;
import dev.ferry.controller.migration.phase.RetireSourcePhase;
import dev.ferry.controller.migration.phase.ShutdownPhase;
import dev.ferry.controller.migration.phase.StartDestinationPhase;
import dev.ferry.controller.migration.phase.SwitchoverPhase;
import dev.ferry.controller.migration.phase.TransferPhase;
import dev.ferry.controller.migration.phase.ValidatePhase;
import dev.ferry.controller.migration.phase.WarmPausePhase;
import dev.ferry.controller.migration.phase.WarmResumePhase;
import java.util.ArrayList;
import java.util.List;

/**
 * The phase list of each migration mode, built from the live migration's list:
 * <ul>
 *   <li>live: validate, <b>plan</b>, (prepare destination ...), transfer, <b>postcopy</b> (only if the plan
 *       or an escalation asks for it), (switchover, verify, finish ...);</li>
 *   <li>warm: the same without the plan and with <b>pause</b> before the transfer and <b>resume</b>
 *       before the switchover;</li>
 *   <li>cold: validate, backup, baseline, shutdown, copy disks (only disks not on shared storage), start
 *       destination, verify, finish (retire the source), monitor.</li>
 * </ul>
 * Every mode takes the backup (only when asked for) and the work baseline before anything moves, and
 * ends with the post-migration checks ({@code monitor}).
 * Phases that do not apply to a migration skip themselves ({@link Phase#appliesTo}).
 */
public final class MigrationModePhases {
    private MigrationModePhases() {}

    public static List<Phase> of(MigrationRequest req, List<Phase> live) {
        if (MigrationRequest.COLD.equals(req.modeOrDefault())) {
            return List.of(new ColdValidatePhase(), new BackupPhase(), new BaselinePhase(), new ShutdownPhase(), new CopyDisksPhase(),
                    new StartDestinationPhase(), new ColdVerifyPhase(), new RetireSourcePhase(), new MonitorPhase());
        }
        List<Phase> out = new ArrayList<>();
        for (Phase p : live) {
            if (p instanceof TransferPhase) out.add(new WarmPausePhase());
            if (p instanceof SwitchoverPhase) out.add(new WarmResumePhase());
            out.add(p);
            if (p instanceof ValidatePhase) out.add(new PlanPhase());
            if (p instanceof TransferPhase) out.add(new PostcopyPhase());
        }
        return List.copyOf(out);
    }

    /** Refuses combinations that mean nothing: an unknown mode, post-copy or throttling outside live, a bad duration. */
    public static void validate(MigrationRequest req) {
        String mode = req.modeOrDefault();
        if (!List.of(MigrationRequest.LIVE, MigrationRequest.WARM, MigrationRequest.COLD).contains(mode)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "mode must be live, warm or cold (got '" + mode + "')");
        }
        if (!mode.equals(MigrationRequest.LIVE) && (req.postcopyAllowed() || req.throttleAllowed())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "--allow-postcopy and --allow-throttle apply to live migrations only");
        }
        if (req.keepsSource() && !mode.equals(MigrationRequest.COLD)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "--keep-source applies to cold migrations only");
        }
        if (req.monitorSeconds() != null && (req.monitorSeconds() < 0 || req.monitorSeconds() > 3600)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "monitor seconds must be between 0 and 3600 (got " + req.monitorSeconds() + ")");
        }
        if (req.maxDurationSeconds() != null && req.maxDurationSeconds() < 1) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "max duration must be at least 1 s");
        }
    }
}

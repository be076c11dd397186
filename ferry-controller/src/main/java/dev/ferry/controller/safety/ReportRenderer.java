package dev.ferry.controller.safety;

import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.safety.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders one migration job as a Markdown report a person can read from top to bottom: the
 * verdict, the request, what was checked and predicted before the move (validation, assessment and
 * live-plan events), what changed on the way (escalations, progress), the phases with their times,
 * the measured result beside the prediction, what the phases verified, the post-migration
 * checklist, the backup and its state, and the rollbacks, warnings and errors. Pure: it only formats what
 * the job's record, events and backup say, so it is unit-tested without a controller.
 */
public final class ReportRenderer {
    private ReportRenderer() {}

    public static String render(MigrationView job, MigrationRequest req, BackupView backup) {
        StringBuilder md = new StringBuilder();
        md.append("# Migration ").append(job.id()).append("\n\n");
        md.append("VM **").append(job.vm()).append("**, ").append(job.source()).append(" -> ").append(job.destination())
                .append(", mode ").append(job.mode()).append(". Started ").append(job.createdAt())
                .append(job.finishedAt() == null ? ", still running." : ", ended " + job.finishedAt() + " (" + ms(job.createdAt(), job.finishedAt()) + ").")
                .append("\n\n");
        md.append("## Verdict\n\n").append(verdict(job)).append("\n\n");
        request(md, req);
        section(md, "Checked and predicted before the move", events(job, List.of("assessment", "plan", "validate")));
        section(md, "Changed on the way", events(job, List.of("escalate", "progress", "shutdown")));
        phases(md, job);
        result(md, job.result());
        checklist(md, job.result());
        backup(md, backup);
        section(md, "Verified on the way", events(job, List.of("verify")));
        section(md, "Backup, rollback, warnings and errors", events(job, List.of("backup", "rollback", "warning", "error", "cleanup")));
        return md.toString();
    }

    static String verdict(MigrationView job) {
        if (job.finishedAt() == null) return "Running (phase " + job.phase() + ").";
        if ("succeeded".equals(job.state())) {
            long checks = job.result() == null || job.result().checks() == null ? 0 : job.result().checks().size();
            return "**Succeeded**: the VM runs on " + job.destination() + (checks == 0 ? "." : "; all " + checks + " post-migration checks passed.");
        }
        String where = "VERIFICATION_FAILED".equals(job.errorCode()) ? " The VM stays where it runs." : "";
        return "**" + job.state().toUpperCase(Locale.ROOT) + "** (" + job.errorCode() + "): " + job.errorMessage() + where;
    }

    private static void request(StringBuilder md, MigrationRequest r) {
        md.append("## Request\n\n");
        if (r == null) {
            md.append("(not recorded)\n\n");
            return;
        }
        md.append("| option | value |\n| --- | --- |\n");
        row(md, "mode", r.modeOrDefault());
        row(md, "max downtime", r.maxDowntimeOrDefault() + " ms");
        row(md, "bandwidth cap", r.bandwidthMiBps() == null ? "none" : r.bandwidthMiBps() + " MiB/s");
        row(md, "max duration", r.maxDurationSeconds() == null ? "none" : r.maxDurationSeconds() + " s");
        row(md, "post-copy / throttle allowed", r.postcopyAllowed() + " / " + r.throttleAllowed());
        row(md, "backup", String.valueOf(r.wantsBackup()));
        row(md, "monitor", r.monitorSeconds() == null ? "controller default" : r.monitorSeconds() + " s");
        row(md, "roll back on a failed check", String.valueOf(r.rollsBackOnFailedCheck()));
        md.append('\n');
    }

    private static void phases(StringBuilder md, MigrationView job) {
        md.append("## Phases\n\n");
        List<MigrationEvent> marks = job.events() == null ? List.of()
                : job.events().stream().filter(e -> e.kind().equals("phase")).toList();
        if (marks.isEmpty()) {
            md.append("(no phase recorded)\n\n");
            return;
        }
        md.append("| phase | started | took |\n| --- | --- | --- |\n");
        for (int i = 0; i < marks.size(); i++) {
            Instant end = i + 1 < marks.size() ? marks.get(i + 1).at() : job.finishedAt();
            md.append("| ").append(marks.get(i).message()).append(" | ").append(marks.get(i).at()).append(" | ")
                    .append(end == null ? "running" : ms(marks.get(i).at(), end)).append(" |\n");
        }
        md.append('\n');
    }

    private static void result(StringBuilder md, MigrationResult r) {
        if (r == null) return;
        md.append("## Measured\n\n| figure | value |\n| --- | --- |\n");
        row(md, "total time", r.totalTimeMs() + " ms" + (r.predictedTotalMs() == null ? "" : " (predicted " + r.predictedTotalMs() + " ms)"));
        if (r.downtimeMs() != null || r.predictedDowntimeMs() != null) {
            row(md, "downtime (QEMU)", r.downtimeMs() + " ms" + (r.predictedDowntimeMs() == null ? "" : " (predicted " + r.predictedDowntimeMs() + " ms)"));
        }
        if (r.heartbeatGapMs() != null) row(md, "guest heartbeat gap", r.heartbeatGapMs() + " ms");
        if (r.pausedMs() != null) row(md, "guest not running", r.pausedMs() + " ms");
        if (r.strategy() != null) row(md, "strategy", r.strategy());
        if (r.escalations() != null) row(md, "escalations", String.valueOf(r.escalations()));
        row(md, "memory sent", String.format(Locale.ROOT, "%.1f MiB in %d pass(es)", r.transferredBytes() / 1048576.0, r.iterations()));
        if (r.diskBytes() != null) row(md, "disk bytes copied", String.valueOf(r.diskBytes()));
        md.append('\n');
    }

    private static void checklist(StringBuilder md, MigrationResult r) {
        md.append("## Post-migration checks\n\n");
        if (r == null || r.checks() == null || r.checks().isEmpty()) {
            md.append("(none ran)\n\n");
            return;
        }
        md.append("| check | ok | detail |\n| --- | --- | --- |\n");
        for (Check c : r.checks()) {
            md.append("| ").append(c.check()).append(" | ").append(c.ok() ? "yes" : "**NO**").append(" | ").append(cell(c.detail())).append(" |\n");
        }
        md.append('\n');
    }

    private static void backup(StringBuilder md, BackupView b) {
        md.append("## Backup\n\n");
        if (b == null) {
            md.append("No backup was taken.\n\n");
            return;
        }
        md.append("Backup ").append(b.id()).append(" on ").append(b.host()).append(", taken ").append(b.takenAt()).append(": **")
                .append(b.state()).append("**").append(b.keepUntil() == null ? "" : ", kept until " + b.keepUntil())
                .append(b.detail() == null ? "" : " (" + b.detail() + ")").append(".\n\n");
        for (BackupView.BackupImage i : b.images()) md.append("- ").append(i.diskId()).append(": `").append(i.path()).append("`\n");
        md.append("\nRestoring it (`ferry migration rollback ").append(b.migrationId())
                .append(" --to-backup`) loses every change since ").append(b.takenAt()).append(".\n\n");
    }

    private static List<MigrationEvent> events(MigrationView job, List<String> kinds) {
        if (job.events() == null) return List.of();
        List<MigrationEvent> out = new ArrayList<>();
        for (MigrationEvent e : job.events()) if (kinds.contains(e.kind())) out.add(e);
        return out;
    }

    private static void section(StringBuilder md, String title, List<MigrationEvent> events) {
        md.append("## ").append(title).append("\n\n");
        if (events.isEmpty()) {
            md.append("(nothing recorded)\n\n");
            return;
        }
        for (MigrationEvent e : events) md.append("- ").append(e.at()).append(" **").append(e.kind()).append("**: ").append(e.message()).append('\n');
        md.append('\n');
    }

    private static void row(StringBuilder md, String k, String v) { md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"); }

    private static String cell(String s) { return s == null ? "" : s.replace("|", "\\|").replace("\n", " "); }

    private static String ms(Instant a, Instant b) { return Duration.between(a, b).toMillis() + " ms"; }
}

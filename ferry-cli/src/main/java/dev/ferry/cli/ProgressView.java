package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationProgress;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows a migration's event stream: on a terminal a progress bar with phase, rates and ETA; when
 * output is piped, one compact JSON object per update (JSON lines) for scripts. Ends with a summary
 * and exit code 0 when the migration succeeded, 1 otherwise.
 */
final class ProgressView {
    private static final int SCALE = 1000;
    /** Events worth a line of their own while following: the plan, every escalation, warnings, checks, shutdown, disk progress. */
    private static final java.util.Set<String> SHOWN = java.util.Set.of("plan", "escalate", "warning", "verify", "shutdown", "progress",
            "error");

    private ProgressView() {}

    static int follow(ControllerClient c, String id, boolean json) {
        boolean bar = !json && System.console() != null;
        MigrationView last = null;
        String lastText = null;
        int seen = 0;
        try (Stream<String> lines = c.watch(id); ProgressBar pb = bar ? newBar() : null) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) continue;
                last = parse(line.substring(5).trim());
                List<MigrationEvent> fresh = newEvents(last, seen);
                seen += fresh.size();
                if (!json) {
                    for (MigrationEvent e : fresh) {
                        if (SHOWN.contains(e.kind())) System.out.println(e.kind() + ": " + e.message());
                    }
                }
                if (pb != null) update(pb, last);
                else if (json) System.out.println(compact(last, fresh));
                else if (!oneLine(last).equals(lastText)) {
                    lastText = oneLine(last);
                    System.out.println(lastText);
                }
                if (last.isFinished()) break;
            }
        }
        if (last == null) throw new FerryException(ErrorCode.SERVER_UNREACHABLE, "the progress stream ended without data");
        if (!json) summary(System.out, last, false);
        return "succeeded".equals(last.state()) ? 0 : 1;
    }

    static void summary(PrintStream out, MigrationView m, boolean withEvents) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MIGRATION", m.id()));
        rows.add(List.of("VM", m.vm() + "  " + m.source() + " -> " + m.destination()));
        rows.add(List.of("STATE", m.state() + (m.isFinished() ? "" : " (phase " + m.phase() + ")")));
        if (m.mode() != null) rows.add(List.of("MODE", m.mode()));
        MigrationResult r = m.result();
        if (r != null) {
            if (r.strategy() != null) {
                rows.add(List.of("STRATEGY", r.strategy() + (r.escalations() == null || r.escalations() == 0 ? ""
                        : " (" + r.escalations() + " escalation" + (r.escalations() == 1 ? "" : "s") + ")")));
            }
            rows.add(List.of("TOTAL TIME", r.totalTimeMs() + " ms" + (r.predictedTotalMs() == null ? ""
                    : " (predicted " + r.predictedTotalMs() + " ms)")));
            if (r.pausedMs() != null) rows.add(List.of("GUEST PAUSED", r.pausedMs() + " ms"));
            rows.add(List.of("DOWNTIME (QEMU)", (r.downtimeMs() == null ? "-" : r.downtimeMs() + " ms")
                    + (r.predictedDowntimeMs() == null ? "" : " (predicted " + r.predictedDowntimeMs() + " ms)")));
            if (r.diskBytes() != null) rows.add(List.of("DISKS COPIED", mib(r.diskBytes())));
            rows.add(List.of("HEARTBEAT GAP", r.heartbeatGapMs() == null ? "-" : r.heartbeatGapMs() + " ms"));
            rows.add(List.of("TRANSFERRED", mib(r.transferredBytes())));
            rows.add(List.of("ITERATIONS", String.valueOf(r.iterations())));
            if (r.checks() != null) {
                for (var c : r.checks()) rows.add(List.of("CHECK " + c.check(), (c.ok() ? "ok: " : "FAILED: ") + c.detail()));
            }
        }
        if (m.errorMessage() != null) rows.add(List.of("ERROR", m.errorMessage() + " [" + m.errorCode() + "]"));
        Output.table(out, rows);
        if (withEvents && m.events() != null) {
            out.println();
            for (MigrationEvent e : m.events()) out.println(e.at() + "  " + e.kind() + "  " + e.message());
        }
    }

    private static ProgressBar newBar() {
        return new ProgressBarBuilder().setTaskName("migrating").setInitialMax(SCALE).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate().setUnit("%", SCALE / 100).build();
    }

    private static void update(ProgressBar pb, MigrationView v) {
        MigrationProgress p = v.progress();
        if (p != null) pb.stepTo((long) (p.fraction() * SCALE));
        if (v.isFinished() && "succeeded".equals(v.state())) pb.stepTo(SCALE);
        pb.setExtraMessage(oneLine(v));
    }

    static String oneLine(MigrationView v) {
        MigrationProgress p = v.progress();
        String phase = v.isFinished() ? v.state() : v.phase();
        if (p == null || v.isFinished()) return phase;
        if ("import".equals(v.mode()) || "export".equals(v.mode())) {
            return String.format("%s  %s of %s  %s/s%s", phase, mib(p.transferredBytes()), mib(p.totalBytes()), mib(p.bandwidthBytesPerSec()),
                    p.etaMs() == null ? "" : "  eta " + (p.etaMs() / 100) / 10.0 + " s");
        }
        return String.format("%s  pass %d  sent %s  left %s  dirty %s/s  bw %s/s%s", phase, p.iterations(), mib(p.transferredBytes()),
                mib(p.remainingBytes()), mib(p.dirtyRateBytesPerSec()), mib(p.bandwidthBytesPerSec()),
                p.etaMs() == null ? "" : "  eta " + (p.etaMs() / 100) / 10.0 + " s");
    }

    private static String mib(long bytes) { return String.format("%.1f MiB", bytes / 1048576.0); }

    private static MigrationView parse(String data) {
        try {
            return Json.mapper().readValue(data, MigrationView.class);
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "unreadable progress event: " + e.getOriginalMessage());
        }
    }

    /** The events of {@code v} not printed yet (events come oldest first; the first {@code seen} were printed). */
    private static List<MigrationEvent> newEvents(MigrationView v, int seen) {
        List<MigrationEvent> all = v.events() == null ? List.of() : v.events();
        return seen >= all.size() ? List.of() : all.subList(seen, all.size());
    }

    /** One JSON line per update: the view with only the events that are new since the previous line (the plan, escalations...). */
    private static String compact(MigrationView v, List<MigrationEvent> fresh) {
        try {
            return Json.mapper().writeValueAsString(new MigrationView(v.id(), v.vm(), v.source(), v.destination(), v.mode(),
                    v.state(), v.phase(), v.progress(), v.result(), v.errorCode(), v.errorMessage(), v.createdAt(), v.finishedAt(),
                    fresh.isEmpty() ? null : fresh));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

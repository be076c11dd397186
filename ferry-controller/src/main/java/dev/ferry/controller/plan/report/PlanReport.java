package dev.ferry.controller.plan.report;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The record of one plan, written as {@code report.md}, {@code report.html} and {@code chart.png}:
 * what was checked (each VM's assessment), what was predicted and on what basis, what was done
 * (state, migration job id, error) and what was measured, predicted against measured per VM, and
 * a bar chart of duration and downtime predicted against measured.
 */
public final class PlanReport {
    private static final String NOTE = "Durations are QEMU's transfer time; a predicted one is the move alone on its link (the ETA"
            + " adds each job's setup and slows moves that share a link). Downtime is QEMU's for live moves, the pause for warm and cold.";

    private final PlanView plan;

    private PlanReport(PlanView plan) { this.plan = plan; }

    public static PlanReport of(PlanView plan) { return new PlanReport(plan); }

    /** Writes report.md, report.html and chart.png into {@code dir}; returns the three paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path md = Files.writeString(dir.resolve("report.md"), markdown());
        Path html = Files.writeString(dir.resolve("report.html"), html());
        Path png = Files.write(dir.resolve("chart.png"), chartPng());
        return List.of(md, html, png);
    }

    public byte[] chartPng() {
        List<String> vms = plan.items().stream().map(PlanItemView::vm).toList();
        return new BarChart(List.of("predicted", "measured"))
                .panel(new BarChart.Panel("duration per VM (s)", vms, List.of(
                        values(i -> i.predicted() == null ? null : i.predicted().totalMs(), 1000),
                        values(i -> i.measured() == null ? null : i.measured().totalMs(), 1000))))
                .panel(new BarChart.Panel("downtime per VM (ms)", vms, List.of(
                        values(i -> i.predicted() == null ? null : i.predicted().downtimeMs(), 1),
                        values(i -> i.measured() == null ? null : i.measured().downtimeMs(), 1))))
                .png();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Plan ").append(plan.name()).append("\n\n");
        sb.append("- id: `").append(plan.id()).append("`\n- state: **").append(plan.state()).append("**\n- on failure: ")
                .append(plan.onFailure()).append("\n- created: ").append(plan.createdAt()).append("\n- started: ").append(plan.startedAt())
                .append("\n- finished: ").append(plan.finishedAt()).append("\n- predicted total (ETA): ").append(seconds(plan.predictedTotalMs()))
                .append("\n- measured total: ").append(seconds(elapsedMs())).append("\n");
        if (plan.errorMessage() != null) sb.append("- error: ").append(plan.errorMessage()).append("\n");
        sb.append("\n## Predicted against measured\n\n![chart](chart.png)\n\n");
        sb.append(NOTE).append("\n\n");
        sb.append("| VM | wave | from | to | mode | state | duration predicted | duration measured | downtime predicted | downtime measured"
                + " | MiB predicted | MiB measured | migration job |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] r : rows()) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        sb.append("\n## What was checked and predicted\n\n");
        for (PlanItemView i : plan.items()) {
            sb.append("### ").append(i.vm()).append(" (").append(i.source()).append(" -> ").append(i.destination()).append(")\n\n");
            if (i.basis() != null) sb.append("Prediction basis: ").append(i.basis()).append("\n\n");
            if (i.error() != null) sb.append("Outcome: ").append(i.error()).append("\n\n");
            if (i.rollbackMigrationId() != null) sb.append("Moved back by migration `").append(i.rollbackMigrationId()).append("`\n\n");
            if (i.assessment() != null) {
                for (Finding f : i.assessment().findings()) {
                    sb.append("- ").append(f.severity()).append(" ").append(f.code()).append(": ").append(f.message()).append("\n");
                }
                sb.append("\n");
            }
        }
        if (!plan.findings().isEmpty()) {
            sb.append("## Plan findings\n\n");
            for (Finding f : plan.findings()) sb.append("- ").append(f.severity()).append(" ").append(f.code()).append(": ").append(f.message()).append("\n");
        }
        return sb.toString();
    }

    public String html() {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Plan ").append(esc(plan.name()))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                        + "padding:4px 8px;text-align:right}td:first-child{text-align:left}</style></head><body>");
        sb.append("<h1>Plan ").append(esc(plan.name())).append("</h1><p>id <code>").append(esc(plan.id())).append("</code>, state <b>")
                .append(esc(plan.state())).append("</b>, on failure ").append(esc(plan.onFailure())).append(", predicted total ")
                .append(seconds(plan.predictedTotalMs())).append(", measured total ").append(seconds(elapsedMs())).append("</p>");
        if (plan.errorMessage() != null) sb.append("<p>error: ").append(esc(plan.errorMessage())).append("</p>");
        sb.append("<img src=\"chart.png\" alt=\"predicted against measured\"><p>").append(esc(NOTE)).append("</p><table><tr>");
        for (String h : List.of("VM", "wave", "from", "to", "mode", "state", "duration predicted", "duration measured", "downtime predicted",
                "downtime measured", "MiB predicted", "MiB measured", "migration job")) sb.append("<th>").append(h).append("</th>");
        sb.append("</tr>");
        for (String[] r : rows()) {
            sb.append("<tr>");
            for (String c : r) sb.append("<td>").append(esc(c.replace("`", ""))).append("</td>");
            sb.append("</tr>");
        }
        sb.append("</table><h2>What was checked</h2>");
        for (PlanItemView i : plan.items()) {
            sb.append("<h3>").append(esc(i.vm())).append("</h3>");
            if (i.basis() != null) sb.append("<p>Prediction basis: ").append(esc(i.basis())).append("</p>");
            if (i.error() != null) sb.append("<p>Outcome: ").append(esc(i.error())).append("</p>");
            if (i.assessment() != null) {
                sb.append("<ul>");
                for (Finding f : i.assessment().findings()) {
                    sb.append("<li>").append(f.severity()).append(" ").append(esc(f.code())).append(": ").append(esc(f.message())).append("</li>");
                }
                sb.append("</ul>");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private List<String[]> rows() {
        List<String[]> out = new ArrayList<>();
        for (PlanItemView i : plan.items()) {
            PlanItemView.Figures p = i.predicted();
            PlanItemView.Figures m = i.measured();
            out.add(new String[] {i.vm(), String.valueOf(i.wave()), i.source(), i.destination(), i.mode(), i.state(),
                    seconds(p == null ? null : p.totalMs()), seconds(m == null ? null : m.totalMs()), ms(p == null ? null : p.downtimeMs()),
                    ms(m == null ? null : m.downtimeMs()), mib(p == null ? null : p.bytes()), mib(m == null ? null : m.bytes()),
                    i.migrationId() == null ? "-" : "`" + i.migrationId() + "`"});
        }
        return out;
    }

    private Long elapsedMs() {
        if (plan.startedAt() == null || plan.finishedAt() == null) return null;
        return plan.finishedAt().toEpochMilli() - plan.startedAt().toEpochMilli();
    }

    private List<Double> values(java.util.function.Function<PlanItemView, Long> f, double div) {
        List<Double> out = new ArrayList<>();
        for (PlanItemView i : plan.items()) {
            Long v = f.apply(i);
            out.add(v == null ? null : v / div);
        }
        return out;
    }

    private static String seconds(Long ms) { return ms == null ? "-" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0); }

    private static String ms(Long ms) { return ms == null ? "-" : ms + " ms"; }

    private static String mib(Long b) { return b == null ? "-" : String.format(Locale.ROOT, "%.0f", b / 1048576.0); }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

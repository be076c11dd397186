package dev.ferry.cli.lab;

import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of the evacuation demo: one progress line per VM whenever its move changes state, and
 * the closing table of the plan's prediction against what was measured, per VM (route, duration,
 * downtime, bytes). Pure functions of {@link PlanView}s, so they are unit-tested.
 */
public final class EvacuationReport {
    private EvacuationReport() {}

    /** "demo-1 host-a -> host-c (wave 1): running, migration m-3". */
    public static String progress(PlanItemView item) {
        StringBuilder line = new StringBuilder(item.vm() + " " + route(item) + " (wave " + item.wave() + "): " + item.state());
        PlanItemView.Figures m = item.measured();
        if ("succeeded".equals(item.state()) && m != null) {
            line.append(" in ").append(seconds(m.totalMs())).append(", downtime ").append(ms(m.downtimeMs()))
                    .append(", ").append(mib(m.bytes()));
        } else if (item.migrationId() != null && "running".equals(item.state())) {
            line.append(", migration ").append(item.migrationId());
        }
        if (item.error() != null) line.append(": ").append(item.error());
        return line.toString();
    }

    /** "plan p-1 running: 1 succeeded, 2 running, 1 pending". */
    public static String summary(PlanView plan) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (PlanItemView i : plan.items()) counts.merge(i.state(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(n + " " + state));
        return "plan " + plan.id() + " " + plan.state() + ": " + String.join(", ", parts);
    }

    /** The lines that changed between two readings of the plan (all of them when {@code before} is null). */
    public static List<String> changes(PlanView before, PlanView now) {
        List<String> lines = new ArrayList<>();
        for (PlanItemView i : now.items()) {
            PlanItemView old = before == null ? null : find(before, i.vm());
            if (old == null || !old.state().equals(i.state()) || !java.util.Objects.equals(old.migrationId(), i.migrationId())) {
                lines.add(progress(i));
            }
        }
        return lines;
    }

    public static List<List<String>> rows(PlanView plan) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("VM", "FROM", "TO", "WAVE", "TOTAL PREDICTED", "TOTAL MEASURED", "DOWNTIME PREDICTED", "DOWNTIME MEASURED",
                "BYTES PREDICTED", "BYTES MEASURED", "STATE"));
        for (PlanItemView i : plan.items()) {
            PlanItemView.Figures p = i.predicted() == null ? new PlanItemView.Figures(null, null, null) : i.predicted();
            PlanItemView.Figures m = i.measured() == null ? new PlanItemView.Figures(null, null, null) : i.measured();
            rows.add(List.of(i.vm(), i.source(), i.destination() == null ? "-" : i.destination(), String.valueOf(i.wave()),
                    ms(p.totalMs()), ms(m.totalMs()), ms(p.downtimeMs()), ms(m.downtimeMs()), mib(p.bytes()), mib(m.bytes()), i.state()));
        }
        return rows;
    }

    /** The plan's wall time, first move started to last ended, in ms (null while it runs). */
    public static Long wallMs(PlanView plan) {
        if (plan.startedAt() == null || plan.finishedAt() == null) return null;
        return java.time.Duration.between(plan.startedAt(), plan.finishedAt()).toMillis();
    }

    static PlanItemView find(PlanView plan, String vm) {
        return plan.items().stream().filter(i -> i.vm().equals(vm)).findFirst().orElse(null);
    }

    private static String route(PlanItemView i) { return i.source() + " -> " + (i.destination() == null ? "?" : i.destination()); }

    static String ms(Long v) { return v == null ? "-" : v + " ms"; }

    public static String seconds(Long v) { return v == null ? "-" : String.format("%.1f s", v / 1000.0); }

    static String mib(Long v) { return v == null ? "-" : String.format("%.1f MiB", v / 1048576.0); }
}

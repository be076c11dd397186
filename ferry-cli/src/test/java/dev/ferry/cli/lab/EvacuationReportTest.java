package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanItemView.Figures;
import dev.ferry.api.plan.PlanView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvacuationReportTest {
    private static PlanItemView item(String vm, String to, String state, String id, Figures measured) {
        return new PlanItemView(vm, "host-a", to, 1, "live", state, id, new Figures(4000L, 150L, 70L << 20), measured, null);
    }

    private static PlanView plan(String state, Instant finished, PlanItemView... items) {
        return new PlanView("p-1", "evacuate host-a", state, "stop", Instant.parse("2026-12-04T20:00:00Z"),
                Instant.parse("2026-12-04T20:00:01Z"), finished, 9000L, List.of(items), List.of(), null);
    }

    @Test
    void aProgressLineNamesTheRouteTheStateAndOnceDoneTheMeasurement() {
        assertThat(EvacuationReport.progress(item("demo-1", "host-c", "running", "m-7", null)))
                .isEqualTo("demo-1 host-a -> host-c (wave 1): running, migration m-7");
        assertThat(EvacuationReport.progress(item("demo-1", "host-c", "succeeded", "m-7", new Figures(4310L, 122L, 73_400_320L))))
                .isEqualTo("demo-1 host-a -> host-c (wave 1): succeeded in 4.3 s, downtime 122 ms, 70.0 MiB");
        assertThat(EvacuationReport.progress(item("demo-2", null, "pending", null, null))).isEqualTo("demo-2 host-a -> ? (wave 1): pending");
    }

    @Test
    void onlyItemsWhoseStateChangedGetANewLine() {
        PlanView before = plan("running", null, item("demo-1", "host-b", "running", "m-1", null), item("demo-2", "host-c", "pending", null, null));
        PlanView now = plan("running", null, item("demo-1", "host-b", "running", "m-1", null), item("demo-2", "host-c", "running", "m-2", null));
        assertThat(EvacuationReport.changes(before, now)).containsExactly("demo-2 host-a -> host-c (wave 1): running, migration m-2");
        assertThat(EvacuationReport.changes(null, now)).hasSize(2);
        assertThat(EvacuationReport.summary(now)).isEqualTo("plan p-1 running: 2 running");
    }

    @Test
    void theTableSetsPredictionBesideMeasurementPerVm() {
        PlanView done = plan("succeeded", Instant.parse("2026-12-04T20:00:11.5Z"),
                item("demo-1", "host-b", "succeeded", "m-1", new Figures(5100L, 140L, 80L << 20)),
                item("demo-2", "host-c", "succeeded", "m-2", null));
        List<List<String>> rows = EvacuationReport.rows(done);
        assertThat(rows.get(0)).startsWith("VM", "FROM", "TO", "WAVE", "TOTAL PREDICTED", "TOTAL MEASURED");
        assertThat(rows.get(1)).containsExactly("demo-1", "host-a", "host-b", "1", "4000 ms", "5100 ms", "150 ms", "140 ms", "70.0 MiB",
                "80.0 MiB", "succeeded");
        assertThat(rows.get(2)).containsSubsequence("4000 ms", "-", "150 ms", "-");
        assertThat(EvacuationReport.wallMs(done)).isEqualTo(10_500L);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DemoReport.table(new PrintStream(buf, true), rows);
        List<String> lines = buf.toString().lines().toList();
        assertThat(lines.get(1).indexOf("5100 ms")).isEqualTo(lines.get(0).indexOf("TOTAL MEASURED"));
    }

    @Test
    void guestsEndWhereTheirSucceededMoveTookThemAndTheOthersStayPut() {
        Map<String, String> placement = new LinkedHashMap<>(Map.of("demo-1", "host-a"));
        placement.put("demo-2", "host-a");
        placement.put("demo-4", "host-b");
        PlanView done = plan("succeeded", Instant.now(), item("demo-1", "host-c", "succeeded", "m-1", null),
                item("demo-2", "host-b", "succeeded", "m-2", null));
        assertThat(Evacuation.endedOn(placement, done)).containsExactly(Map.entry("demo-1", "host-c"), Map.entry("demo-2", "host-b"),
                Map.entry("demo-4", "host-b"));
    }
}

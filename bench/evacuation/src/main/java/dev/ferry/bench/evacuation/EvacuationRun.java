package dev.ferry.bench.evacuation;

import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.bench.live.BenchLab;
import dev.ferry.cli.lab.EvacuationReport;
import dev.ferry.cli.lab.PlanApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Run (a): host-a is evacuated with one call to the controller's evacuate endpoint, and the plan
 * runs the moves with the concurrency its limits allow. The bench polls the plan, prints each
 * change the way {@code ferry demo --evacuate} does, and notes when each move was first seen
 * running and finished (for the timeline), then takes each move's figures from the plan item.
 */
final class EvacuationRun {
    private final BenchLab lab;
    private final PlanApi plans;
    private final Fleet fleet;
    private final EvacSettings settings;
    private final Consumer<String> say;

    EvacuationRun(BenchLab lab, PlanApi plans, Fleet fleet, EvacSettings settings, Consumer<String> say) {
        this.lab = lab;
        this.plans = plans;
        this.fleet = fleet;
        this.settings = settings;
        this.say = say;
    }

    RunResult run() {
        long wire0 = lab.wireBytesSent("host-a");
        long t0 = System.nanoTime();
        PlanView plan = plans.evacuate("host-a", false);
        long requestMs = ms(t0);
        say.accept("plan " + plan.id() + ": " + plan.items().size() + " moves, predicted "
                + EvacuationReport.seconds(plan.predictedTotalMs()));
        Map<String, Long> started = new LinkedHashMap<>(), ended = new LinkedHashMap<>();
        PlanView last = null;
        while (true) {
            long now = ms(t0);
            for (PlanItemView i : plan.items()) {
                if (!"pending".equals(i.state())) started.putIfAbsent(i.vm(), now);
                if (isEnded(i.state())) ended.putIfAbsent(i.vm(), now);
            }
            for (String line : EvacuationReport.changes(last, plan)) say.accept("  " + line);
            last = plan;
            if (plan.isFinished()) break;
            if (now > settings.ceilingMs()) {
                plans.abort(plan.id());
                break;
            }
            Fleet.sleep(250);
            plan = plans.plan(plan.id());
        }
        long wallMs = ms(t0);
        long wire = lab.wireBytesSent("host-a") - wire0;
        String state = plan.isFinished() ? plan.state() : "given up at the ceiling (" + settings.ceilingMs() / 1000 + " s)";
        List<Move> moves = new ArrayList<>();
        for (PlanItemView i : plan.items()) moves.add(move(i, started, ended, wallMs));
        return new RunResult("evacuation", state, wallMs, requestMs, wire, plan.id(), plan.predictedTotalMs(), moves, RunResult.maxConcurrent(moves));
    }

    private Move move(PlanItemView i, Map<String, Long> started, Map<String, Long> ended, long wallMs) {
        PlanItemView.Figures p = i.predicted() == null ? new PlanItemView.Figures(null, null, null) : i.predicted();
        PlanItemView.Figures m = i.measured() == null ? new PlanItemView.Figures(null, null, null) : i.measured();
        long end = ended.getOrDefault(i.vm(), wallMs);
        long start = started.getOrDefault(i.vm(), end);
        if (m.totalMs() != null) start = Math.max(0, Math.min(start, end - m.totalMs())); // polling sees a move late, never early
        String host = "succeeded".equals(i.state()) ? i.destination() : i.source();
        return new Move(i.vm(), i.source(), i.destination(), i.state(), start, end, m.totalMs(), m.downtimeMs(), m.bytes(), p.totalMs(),
                p.downtimeMs(), p.bytes(), fleet.check(i.vm(), host));
    }

    static boolean isEnded(String itemState) {
        return List.of("succeeded", "failed", "skipped", "rolled-back", "aborted").contains(itemState);
    }

    /** The destination the plan chose for each guest, for the serial run to repeat. */
    static Map<String, String> destinations(RunResult evacuation) {
        Map<String, String> to = new LinkedHashMap<>();
        for (Move m : evacuation.moves()) to.put(m.vm(), m.to());
        return to;
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }
}

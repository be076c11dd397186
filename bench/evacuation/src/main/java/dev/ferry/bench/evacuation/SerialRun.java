package dev.ferry.bench.evacuation;

import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.bench.live.BenchLab;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Run (b): the same moves as the evacuation (each guest to the host the plan chose for it), made
 * the way an operator without plans would: one {@code ferry migration start} after another, each
 * with the CLI's defaults (see {@link #request}), the next one only when the previous one has ended.
 */
final class SerialRun {
    private final BenchLab lab;
    private final Fleet fleet;
    private final EvacSettings settings;
    private final Consumer<String> say;

    SerialRun(BenchLab lab, Fleet fleet, EvacSettings settings, Consumer<String> say) {
        this.lab = lab;
        this.fleet = fleet;
        this.settings = settings;
        this.say = say;
    }

    /** {@code moves}: guest name to destination, in order. */
    RunResult run(Map<String, String> moves) {
        ControllerClient controller = lab.services().controllerClient();
        long wire0 = lab.wireBytesSent("host-a");
        long t0 = System.nanoTime();
        List<Move> done = new ArrayList<>();
        String state = "succeeded";
        Long requestMs = null;
        for (Map.Entry<String, String> e : moves.entrySet()) {
            long start = ms(t0);
            MigrationView v = controller.startMigration(request(e.getKey(), e.getValue()));
            if (requestMs == null) requestMs = ms(t0);
            while (!(v = controller.migration(v.id())).isFinished()) {
                if (ms(t0) > settings.ceilingMs()) {
                    controller.abort(v.id());
                    state = "given up at the ceiling (" + settings.ceilingMs() / 1000 + " s)";
                }
                Fleet.sleep(250);
            }
            long end = ms(t0);
            MigrationResult r = v.result();
            boolean ok = "succeeded".equals(v.state());
            say.accept(String.format(java.util.Locale.ROOT, "  %s host-a -> %s: %s in %.1f s", e.getKey(), e.getValue(), v.state(),
                    (end - start) / 1000.0));
            done.add(new Move(e.getKey(), "host-a", e.getValue(), v.state(), start, end, r == null ? null : r.totalTimeMs(),
                    r == null ? null : r.downtimeMs(), r == null ? null : r.transferredBytes(), r == null ? null : r.predictedTotalMs(),
                    r == null ? null : r.predictedDowntimeMs(), null, fleet.check(e.getKey(), ok ? e.getValue() : "host-a")));
            if (!ok) {
                state = "failed";
                break;
            }
        }
        long wallMs = ms(t0);
        return new RunResult("serial", state, wallMs, requestMs == null ? 0 : requestMs, lab.wireBytesSent("host-a") - wire0, null, null, done, RunResult.maxConcurrent(done));
    }

    /**
     * Exactly what {@code ferry migration start VM --to HOST} sends: mode {@code live} (the CLI's
     * default, which runs Ferry's planner) and nothing else set. A request without a mode would skip
     * the planner and so would not be the same move as the plan's.
     */
    static MigrationRequest request(String vm, String to) {
        return new MigrationRequest(vm, to, null, null, null, MigrationRequest.LIVE, null, null, null, null, null);
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }
}

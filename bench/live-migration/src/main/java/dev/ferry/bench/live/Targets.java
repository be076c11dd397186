package dev.ferry.bench.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The three targets the benchmark holds Ferry to, checked against one run's outcomes: every cell
 * converges within the requested maximum downtime; on cells whose workload is convergent, the total
 * time is within {@link #LIMIT_FACTOR} of the physical limit; the prediction of total time is within
 * {@link #PREDICTION_TOLERANCE} of the measurement. Each verdict names the cells that miss it.
 */
final class Targets {
    static final double LIMIT_FACTOR = 1.2;
    static final double PREDICTION_TOLERANCE = 0.25;

    /** One target: met or not, with the evidence. */
    record Verdict(String target, boolean met, String detail) {}

    private Targets() {}

    static List<Verdict> check(List<Outcome> all, long maxDowntimeMs, String policy) {
        List<Outcome> rows = all.stream().filter(o -> o.policy().equals(policy)).toList();
        List<Verdict> out = new ArrayList<>();
        List<String> miss = new ArrayList<>();
        for (Outcome o : rows) {
            if (!o.converged()) miss.add(cell(o) + " did not converge (" + o.end() + ")");
            else if (o.downtimeMs() == null || o.downtimeMs() > maxDowntimeMs) miss.add(cell(o) + " downtime " + o.downtimeMs() + " ms");
        }
        out.add(new Verdict("every cell converges within the " + maxDowntimeMs + " ms maximum downtime", miss.isEmpty(),
                summary(rows.size() - miss.size(), rows.size(), miss)));

        miss = new ArrayList<>();
        int n = 0;
        for (Outcome o : rows) {
            if (o.workload().equals("nonconvergent")) continue;
            n++;
            if (!o.converged() || o.ofPhysicalLimit() > LIMIT_FACTOR) {
                miss.add(String.format(Locale.ROOT, "%s %.2fx", cell(o), o.ofPhysicalLimit()));
            }
        }
        out.add(new Verdict(String.format(Locale.ROOT, "convergent cells finish within %.1fx the physical limit", LIMIT_FACTOR),
                miss.isEmpty() && n > 0, summary(n - miss.size(), n, miss)));

        miss = new ArrayList<>();
        n = 0;
        for (Outcome o : rows) {
            if (Double.isNaN(o.predictionError())) continue;
            n++;
            if (o.predictionError() > PREDICTION_TOLERANCE) {
                miss.add(String.format(Locale.ROOT, "%s predicted %.1f s, measured %.1f s (%.0f%% off)", cell(o),
                        o.predictedTotalMs() / 1000.0, o.totalMs() / 1000.0, o.predictionError() * 100));
            }
        }
        out.add(new Verdict(String.format(Locale.ROOT, "predicted total time within %.0f%% of the measurement",
                PREDICTION_TOLERANCE * 100), miss.isEmpty() && n > 0, summary(n - miss.size(), n, miss)));
        return out;
    }

    private static String cell(Outcome o) { return o.link() + "/" + o.workload(); }

    private static String summary(int ok, int of, List<String> miss) {
        return ok + " of " + of + (miss.isEmpty() ? "" : "; missed: " + String.join("; ", miss));
    }
}

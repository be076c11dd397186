package dev.ferry.bench.evacuation;

import java.util.Locale;

/**
 * The benchmark's target: evacuating host-a through a plan takes at most {@value #FACTOR}x the
 * bandwidth lower bound (the guests' non-zero memory over the link's goodput). Pure, so the verdict
 * the report prints is unit-tested.
 */
public final class Target {
    public static final double FACTOR = 1.2;

    private Target() {}

    /** MET or MISSED (a failed evacuation misses), or NOT MEASURED when no evacuation ran. */
    public static String verdict(LinkResult r) {
        if (r.evacuation() == null) return "NOT MEASURED (no evacuation ran)";
        Double ratio = r.evacuationRatio();
        if (ratio == null) {
            long failed = r.evacuation().moves().stream().filter(m -> !m.succeeded()).count();
            return "MISSED (the evacuation " + r.evacuation().state() + ": " + failed + " of " + r.evacuation().moves().size()
                    + " moves did not succeed)";
        }
        return String.format(Locale.ROOT, "%s (%.2fx the lower bound)", ratio <= FACTOR ? "MET" : "MISSED", ratio);
    }
}

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

    /** MET, MISSED, or NOT MEASURED (no successful evacuation). */
    public static String verdict(LinkResult r) {
        Double ratio = r.evacuationRatio();
        if (ratio == null) return "NOT MEASURED (the evacuation did not succeed)";
        return String.format(Locale.ROOT, "%s (%.2fx the lower bound)", ratio <= FACTOR ? "MET" : "MISSED", ratio);
    }
}

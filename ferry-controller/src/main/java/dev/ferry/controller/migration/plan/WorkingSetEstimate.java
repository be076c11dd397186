package dev.ferry.controller.migration.plan;

/**
 * Estimates the writable working set from two page-sampling measurements over different windows.
 * Page sampling counts distinct dirtied pages: a guest that rewrites a set of W bytes at D bytes/s
 * shows D*t distinct bytes over a window t while D*t &lt; W, and about W over any longer window.
 * So if the long window saw clearly fewer distinct bytes than the short window's rate predicts, it
 * saturated, and what it saw is the working set (an estimate from below). If it did not saturate,
 * the working set is at least that large but otherwise unknown.
 */
public final class WorkingSetEstimate {
    /** The long window must fall this far short of the short window's rate to count as saturated. */
    static final double SATURATED = 0.8;

    private WorkingSetEstimate() {}

    /**
     * @param shortRate bytes/s over the short window
     * @param longRate  bytes/s over the long window
     * @return the working set in bytes, or null when the long window did not saturate (or nothing is dirtied)
     */
    public static Long of(long shortRate, long shortMs, long longRate, long longMs) {
        if (shortMs <= 0 || longMs <= shortMs) throw new IllegalArgumentException("the long window must be longer than the short one");
        double expected = (double) shortRate * longMs / 1000;
        double seen = (double) longRate * longMs / 1000;
        if (shortRate == 0 || seen >= expected * SATURATED) return null;
        return Math.max((long) seen, (long) ((double) shortRate * shortMs / 1000));
    }
}

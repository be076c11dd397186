package dev.ferry.controller.migration.plan;

/**
 * The ways a live migration can be made to converge, cheapest first: what the guest (and the
 * user's risk) pays grows down the list, so the planner picks the first one that meets the limits.
 * <ul>
 *   <li>{@link #PRECOPY}: plain pre-copy at a downtime limit below the user's maximum (half of it), so
 *       QEMU's own overshoot at the switchover stays within the maximum;</li>
 *   <li>{@link #DOWNTIME_STEPS}: plain pre-copy that needs a higher limit, up to the user's maximum:
 *       it starts at the lowest step predicted to converge and rises one step per stall;</li>
 *   <li>{@link #XBZRLE}: re-sent pages are delta-encoded against a cache sized to the writable working
 *       set (costs source CPU and cache memory; gains depend on how the guest rewrites its pages);</li>
 *   <li>{@link #AUTO_CONVERGE}: QEMU slows the guest's vCPUs until its dirty rate fits the link
 *       (the guest runs slower for the rest of the migration); needs {@code --allow-throttle};</li>
 *   <li>{@link #POSTCOPY}: after one full pass the guest moves and fetches the rest on demand; a
 *       failure of either host during post-copy loses the VM; needs {@code --allow-postcopy}.</li>
 * </ul>
 */
public enum Strategy {
    PRECOPY("precopy"),
    DOWNTIME_STEPS("downtime-steps"),
    XBZRLE("xbzrle"),
    AUTO_CONVERGE("auto-converge"),
    POSTCOPY("postcopy");

    private final String label;

    Strategy(String label) { this.label = label; }

    /** The name used in events, results and the CLI. */
    public String label() { return label; }

    @Override
    public String toString() { return label; }
}

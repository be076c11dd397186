package dev.ferry.controller.migration.plan;

/**
 * The constants of the pre-copy model that are assumptions rather than measurements; a benchmark
 * can calibrate them and pass its own.
 *
 * @param xbzrleResendRatio   bytes XBZRLE sends for a re-dirtied page, relative to the page (0.5: half).
 *                            It depends on how the guest rewrites pages and cannot be measured
 *                            before the migration; a guest that rewrites every word gets about 1.0
 * @param postcopySwitchMs    the pause at the switch to post-copy (device state and the dirty bitmap;
 *                            measured 2-15 ms on the test machines)
 * @param throttleIncrementPct how much QEMU raises the vCPU throttle per step
 * @param maxRounds           the model gives up after this many pre-copy rounds
 * @param xbzrleCacheMaxBytes the largest XBZRLE cache Ferry will ask for
 */
public record ModelConstants(double xbzrleResendRatio, long postcopySwitchMs, int throttleIncrementPct, int maxRounds,
                             long xbzrleCacheMaxBytes) {
    public static final ModelConstants DEFAULT = new ModelConstants(0.5, 20, 10, 60, 1L << 30);
}

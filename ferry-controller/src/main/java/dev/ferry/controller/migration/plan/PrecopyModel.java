package dev.ferry.controller.migration.plan;

/**
 * The pre-copy model, as a step-by-step simulation of QEMU's rounds. The first pass sends memory M
 * at bandwidth B, where M is the guest's resident RAM when that is known (pages never touched go
 * as zero-page headers, which the model takes as free), else all of its RAM; while a round of V
 * bytes is sent (V/B seconds) the guest dirties D * V/B bytes, capped by its writable working set
 * W (a round cannot leave more pages dirty than the guest rewrites) and by its RAM, and that is the
 * next round: V(i+1) = min(D*V(i)/B, W), which without the cap is the textbook M*(D/B)^i. QEMU
 * stops the guest and copies the rest once V/B is at most the downtime limit; that copy is the
 * downtime.
 *
 * <p>Two refinements model the strategies that change the rounds: XBZRLE sends re-dirtied pages
 * delta-encoded, {@code resendRatio} of their size (every page is re-sent after the first pass and,
 * with a cache of at least W, every one hits the cache); auto-converge slows the vCPUs by p, so the
 * guest dirties D*(1-p), where p follows QEMU's rule: after two consecutive rounds that dirtied
 * more than the trigger threshold of what they sent, the throttle starts at its initial value, and
 * rises by the increment after every further two such rounds, up to 99%.
 *
 * <p>Pure and deterministic: the same inputs always give the same {@link Run}.
 */
public final class PrecopyModel {
    /** Rounds whose volume stays within this fraction of the previous one count as "not shrinking". */
    private static final double STEADY = 0.99;

    private PrecopyModel() {}

    /** auto-converge's parameters: QEMU's cpu-throttle-initial, cpu-throttle-increment, throttle-trigger-threshold. */
    public record Throttle(int initialPct, int incrementPct, int thresholdPct) {}

    /**
     * One simulated migration.
     *
     * @param converged      the stop-and-copy was reached
     * @param rounds         pre-copy passes before it (the first full pass included)
     * @param steadyBytes    when it did not converge because rounds stopped shrinking: what each round leaves
     * @param throttlePct    the vCPU throttle at the end
     * @param outOfTime      it did not converge within the time cap
     * @param capped         the last round's dirtying reached the working set (or all of memory)
     */
    public record Run(boolean converged, int rounds, double totalMs, double downtimeMs, double bytes, double steadyBytes,
                      int throttlePct, boolean outOfTime, boolean capped) {}

    /**
     * Simulates pre-copy at a fixed downtime limit.
     *
     * @param resendRatio 1 for plain pre-copy; XBZRLE's ratio otherwise
     * @param throttle    null without auto-converge
     * @param timeCapMs   stop (not converged) once the elapsed time passes this; null for none
     */
    public static Run simulate(LiveInputs in, double downtimeLimitMs, double resendRatio, Throttle throttle, int maxRounds,
                               Double timeCapMs) {
        double b = in.bandwidthBytesPerSec();
        double cap = in.dirtyCap();
        double volume = in.firstPass();
        double t = 0;
        double sent = 0;
        int rounds = 0;
        int throttlePct = 0;
        int high = 0;
        int steady = 0;
        boolean capped = false;
        while (true) {
            double sendMs = volume / b * 1000;
            if (sendMs <= downtimeLimitMs) return new Run(true, rounds, t + sendMs, sendMs, sent + volume, 0, throttlePct, false, capped);
            if (rounds >= maxRounds) return new Run(false, rounds, t, 0, sent, volume, throttlePct, false, capped);
            if (timeCapMs != null && t + sendMs > timeCapMs) return new Run(false, rounds, t + sendMs, 0, sent + volume, 0, throttlePct, true, capped);
            rounds++;
            t += sendMs;
            sent += volume;
            double wanted = in.dirtyBytesPerSec() * (1 - throttlePct / 100.0) * sendMs / 1000;
            double dirtied = Math.min(wanted, cap);
            capped = wanted >= cap;
            if (throttle != null && dirtied > volume * throttle.thresholdPct() / 100.0 && ++high >= 2) {
                throttlePct = throttlePct == 0 ? throttle.initialPct() : Math.min(99, throttlePct + throttle.incrementPct());
                high = 0;
            }
            double next = dirtied * resendRatio;
            boolean rampDone = throttle == null || throttlePct >= 99;
            steady = next >= volume * STEADY && rampDone ? steady + 1 : 0;
            if (steady >= 2) return new Run(false, rounds, t, 0, sent, next, throttlePct, false, capped);
            volume = next;
        }
    }

    /**
     * Post-copy after one full pass: the first pass sends M (as in {@link #simulate}); the pages dirtied
     * meanwhile (at most W) follow after the switch, fetched by the running destination, at the same
     * bandwidth.
     */
    public static Run postcopy(LiveInputs in, long switchMs) {
        double b = in.bandwidthBytesPerSec();
        double first = in.firstPass();
        double firstMs = first / b * 1000;
        double rest = Math.min(in.dirtyBytesPerSec() * firstMs / 1000, in.dirtyCap());
        return new Run(true, 1, firstMs + switchMs + rest / b * 1000, switchMs, first + rest, 0, 0, false, false);
    }

    /** A warm migration: the paused guest's whole state in one pass, which is all downtime. */
    public static Run warm(long stateBytes, long bandwidthBytesPerSec) {
        double ms = (double) stateBytes / bandwidthBytesPerSec * 1000;
        return new Run(true, 1, ms, ms, stateBytes, 0, 0, false, false);
    }
}

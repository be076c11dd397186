package dev.ferry.controller.migration.plan;

import dev.ferry.api.migration.MigrationStats;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Watches a live migration's readings and decides, pass by pass, whether to escalate, instead of
 * letting a transfer that stopped shrinking run into a timeout. A pass has stalled when the dirty
 * memory found at its start is not at least 20% below what was found two passes earlier and QEMU
 * does not expect to finish within the current limit. Then, in order, whatever can still help:
 * <ol>
 *   <li>raise the downtime limit to the lowest step (within the user's maximum) at which QEMU's own
 *       expected downtime fits; skipped when even the maximum would not be enough;</li>
 *   <li>activate auto-converge (armed from the start when throttling is allowed, because QEMU cannot
 *       turn it on mid-flight), jumping straight to the throttle the model says is needed; if it is
 *       active and the passes still stall, make QEMU's next throttle step go straight to 99% (a
 *       guest whose writes are paced by its own clock barely slows until the throttle is near 99%),
 *       and otherwise wait while QEMU is still raising the throttle;</li>
 *   <li>switch to post-copy, if allowed;</li>
 *   <li>give up, once every allowed step has been taken and three more passes stalled, or the
 *       transfer exceeded --max-duration.</li>
 * </ol>
 * A plan that chose XBZRLE is judged on QEMU's own counters once a pass has re-sent pages with it:
 * if a re-sent page still costs more than {@link #XBZRLE_USELESS} of its size (the guest rewrites
 * whole pages, and XBZRLE can only be guessed at before the migration), the next step is taken at
 * once instead of after the stall rule's passes, if throttling or post-copy is allowed.
 * A planned post-copy switches as soon as the first full pass is done. Near the maximum duration
 * (80% of it) the strongest remaining step is taken at once. After each step a few passes go by
 * before the next ({@link #COOLDOWN}, longer after a throttle, which QEMU applies only after two
 * passes). It gives up once; after that it only watches. Pure: it only reads what it is given and
 * returns decisions.
 */
public final class Escalator {
    static final int COOLDOWN = 2;
    static final int THROTTLE_COOLDOWN = 4;
    static final int GIVE_UP_AFTER = 3;
    /** QEMU's highest vCPU throttle. */
    static final int MAX_THROTTLE = 99;
    /** XBZRLE is judged useless when a re-sent page costs more than this share of a page. */
    static final double XBZRLE_USELESS = 0.85;
    /** ... once at least this many pages were re-sent with it (4 MiB of 4 KiB pages). */
    static final long XBZRLE_MIN_PAGES = 1024;

    /** What to do now. */
    public sealed interface Action permits RaiseDowntime, StartThrottle, SwitchToPostcopy, GiveUp {
        String reason();
    }

    public record RaiseDowntime(long downtimeLimitMs, String reason) implements Action {}

    public record StartThrottle(Map<String, Long> parameters, String reason) implements Action {}

    public record SwitchToPostcopy(String reason) implements Action {}

    public record GiveUp(String reason) implements Action {}

    private final LivePlan plan;
    private final Map<Long, Long> remainingAtPass = new HashMap<>();
    private long currentLimit;
    private boolean throttleOn;
    private boolean postcopyUsed;
    private long lastPass = -1;
    private long passOfLastAction;
    private int cooldown = COOLDOWN;
    private int stalledSinceExhausted;
    private int escalations;
    private boolean gaveUp;
    private boolean throttleRushed;
    private boolean xbzrleJudged;

    public Escalator(LivePlan plan) {
        this.plan = plan;
        this.currentLimit = plan.initialDowntimeMs();
        this.throttleOn = plan.throttleActive();
    }

    public int escalations() { return escalations; }

    public long currentDowntimeLimitMs() { return currentLimit; }

    /** Decides on one reading of the source's progress; null to carry on. */
    public Action onReading(long elapsedMs, MigrationStats s) {
        if (gaveUp || postcopyUsed || !"active".equals(s.status())) return null;
        long pass = s.iterations();
        boolean newPass = pass != lastPass;
        if (newPass) {
            remainingAtPass.putIfAbsent(pass, s.remainingBytes());
            lastPass = pass;
        }
        if (plan.strategy() == Strategy.POSTCOPY && !postcopyUsed && pass >= 2) {
            postcopyUsed = true;
            return new SwitchToPostcopy("as planned, after the first full pass (" + mib(s.transferredBytes()) + " sent)");
        }
        Long maxMs = plan.limits().maxDurationMs();
        if (maxMs != null && elapsedMs > maxMs) {
            if (canPostcopy()) return postcopy("the transfer reached --max-duration " + maxMs / 1000 + " s");
            return giveUp("the transfer exceeded --max-duration " + maxMs / 1000 + " s without converging");
        }
        if (maxMs != null && elapsedMs > maxMs * 0.8 && canPostcopy()) {
            return postcopy(String.format(Locale.ROOT, "%.0f s of the %d s --max-duration are used", elapsedMs / 1000.0, maxMs / 1000));
        }
        if (newPass && plan.strategy() == Strategy.XBZRLE && !xbzrleJudged) {
            String useless = xbzrleUseless(s);
            if (useless != null) {
                xbzrleJudged = true;
                if ((plan.throttle() != null && !throttleOn) || canPostcopy()) return escalate(pass, s, useless);
            }
        }
        if (!newPass || !stalled(pass, s)) return null;
        return escalate(pass, s, "stalled at " + mib(remainingAtPass.get(pass)) + " dirty per pass");
    }

    /** Why XBZRLE does not help this guest, from QEMU's counters; null while it may (or it is too early to tell). */
    private static String xbzrleUseless(MigrationStats s) {
        MigrationStats.Xbzrle x = s.xbzrle();
        if (x == null) return null;
        Double ratio = x.resendRatio(s.pageSize() > 0 ? s.pageSize() : 4096, XBZRLE_MIN_PAGES);
        if (ratio == null || ratio <= XBZRLE_USELESS) return null;
        return String.format(Locale.ROOT, "XBZRLE does not help this guest: a re-sent page costs %.0f%% of its size (QEMU's counters "
                + "over %d re-sent pages, %d of them sent whole)", ratio * 100, x.pages() + x.overflow(), x.overflow());
    }

    private boolean stalled(long pass, MigrationStats s) {
        if (pass < 4 || pass < passOfLastAction + cooldown) return false;
        Long now = remainingAtPass.get(pass);
        Long before = remainingAtPass.get(pass - 2);
        if (now == null || before == null) return false;
        if (s.expectedDowntimeMs() != null && s.expectedDowntimeMs() <= currentLimit) return false;
        return now > before * 0.8;
    }

    private Action escalate(long pass, MigrationStats s, String cause) {
        Long expected = s.expectedDowntimeMs();
        for (long step : plan.downtimeSteps()) {
            if (step > currentLimit && expected != null && expected <= step) {
                String why = String.format(Locale.ROOT, "%s; QEMU expects %d ms, so the limit goes from %d to %d ms",
                        cause, expected, currentLimit, step);
                currentLimit = step;
                return acted(pass, COOLDOWN, new RaiseDowntime(step, why));
            }
        }
        String noRaise = expected == null ? "" : String.format(Locale.ROOT, " (QEMU expects %d ms, beyond the %d ms maximum)", expected,
                plan.limits().maxDowntimeMs());
        Integer current = s.throttlePercent();
        if (throttleOn && (current == null || current < MAX_THROTTLE)) {
            if (throttleRushed) return null; // QEMU is still raising the throttle; judge again once it is at its maximum
            throttleRushed = true;
            int now = current == null ? 0 : current;
            return acted(pass, THROTTLE_COOLDOWN, new StartThrottle(Map.of("cpu-throttle-increment", (long) Math.max(1, MAX_THROTTLE - now)),
                    "still stalled at " + mib(remainingAtPass.get(pass)) + " dirty per pass with the vCPUs throttled "
                            + (current == null ? "(not yet)" : "to " + now + "%") + "; the next throttle step goes to " + MAX_THROTTLE + "%"));
        }
        if (plan.throttle() != null && !throttleOn) {
            throttleOn = true;
            Map<String, Long> params = new LinkedHashMap<>(plan.activeThrottleParameters());
            if (current != null && current > 0 && plan.throttle().initialPct() > current) {
                params.put("cpu-throttle-increment", Math.max(params.get("cpu-throttle-increment"), plan.throttle().initialPct() - current));
            }
            return acted(pass, THROTTLE_COOLDOWN, new StartThrottle(params, cause + noRaise + "; throttling the vCPUs from "
                    + plan.throttle().initialPct() + "%"));
        }
        if (canPostcopy()) return postcopy(cause + noRaise);
        if (++stalledSinceExhausted >= GIVE_UP_AFTER) {
            return giveUp("no progress over " + GIVE_UP_AFTER + " more passes after every allowed step" + noRaise
                    + (plan.limits().allowPostcopy() ? "" : "; --allow-postcopy would let it finish")
                    + (plan.limits().allowThrottle() ? "" : "; --allow-throttle might let it converge"));
        }
        return null;
    }

    private boolean canPostcopy() { return plan.limits().allowPostcopy() && !postcopyUsed; }

    private Action postcopy(String why) {
        postcopyUsed = true;
        escalations++;
        return new SwitchToPostcopy(why);
    }

    private Action giveUp(String why) {
        gaveUp = true;
        return new GiveUp(why);
    }

    private Action acted(long pass, int nextCooldown, Action a) {
        passOfLastAction = pass;
        cooldown = nextCooldown;
        escalations++;
        return a;
    }

    private static String mib(Long bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}

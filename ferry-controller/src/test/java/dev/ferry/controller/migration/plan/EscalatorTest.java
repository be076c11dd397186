package dev.ferry.controller.migration.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.MigrationStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation ladder against synthetic readings: shrinking transfers are left alone, stalled ones escalate in order. */
class EscalatorTest {
    private static final long MIB = 1024 * 1024;

    private static LivePlan plan(LiveInputs in, boolean postcopy, boolean throttle, Long maxDurationMs) {
        PlanDecision d = LivePlanner.plan(in, new LiveLimits(50, maxDurationMs, postcopy, throttle), null, ModelConstants.DEFAULT);
        return d.plan();
    }

    /** A reading at pass {@code pass} with {@code remainingMiB} left and QEMU expecting {@code expectedMs}. */
    private static MigrationStats at(long pass, long remainingMiB, Long expectedMs) {
        return new MigrationStats("active", 0, expectedMs, null, 0, 0, remainingMiB * MIB, 256 * MIB, 0, 4096, 160, pass, null);
    }

    /** Feeds one reading per pass and collects the actions. */
    private static List<Escalator.Action> run(Escalator e, long[] remainingMiB, Long expectedMs) {
        List<Escalator.Action> out = new ArrayList<>();
        for (int pass = 1; pass <= remainingMiB.length; pass++) {
            Escalator.Action a = e.onReading(pass * 1000L, at(pass, remainingMiB[pass - 1], expectedMs));
            if (a != null) out.add(a);
        }
        return out;
    }

    @Test
    void aShrinkingTransferIsLeftAlone() {
        Escalator e = new Escalator(plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), true, true, null));

        assertThat(run(e, new long[] {256, 100, 60, 30, 15, 7, 3}, 4000L)).isEmpty();
        assertThat(e.escalations()).isZero();
    }

    @Test
    void aStallThatAHigherLimitFixesRaisesTheLimitOnly() {
        LivePlan p = plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), false, false, null);
        Escalator e = new Escalator(p);

        List<Escalator.Action> actions = run(e, new long[] {256, 1, 1, 1, 1}, 45L);

        assertThat(actions).hasSize(1);
        assertThat(actions.get(0)).isInstanceOfSatisfying(Escalator.RaiseDowntime.class, r -> {
            assertThat(r.downtimeLimitMs()).isEqualTo(50);
            assertThat(r.reason()).contains("QEMU expects 45 ms", "from 25 to 50 ms");
        });
        assertThat(e.currentDowntimeLimitMs()).isEqualTo(50);
    }

    @Test
    void aNonConvergentGuestGetsTheThrottleThenTheFullThrottleThenPostcopy() {
        LivePlan p = plan(new LiveInputs(256 * MIB, 80 * MIB, 20 * MIB, 96 * MIB), true, true, null);
        // A plan that started as plain pre-copy, with auto-converge armed and post-copy in reserve.
        Escalator e = new Escalator(new LivePlan(Strategy.DOWNTIME_STEPS, p.inputs(), p.limits(), p.predictions(), p.downtimeSteps(),
                25, p.capabilities(), p.parameters(), p.throttle(), false));
        List<Escalator.Action> actions = new ArrayList<>();
        int[] throttle = {0, 0, 0, 0, 0, 0, 88, 88, 88, 88, 99, 99, 99, 99, 99, 99};
        for (int pass = 1; pass <= throttle.length; pass++) {
            MigrationStats s = new MigrationStats("active", pass * 5000L, 4800L, null, 0, 0, (pass == 1 ? 256 : 96) * MIB, 256 * MIB, 0,
                    4096, 160, pass, null, throttle[pass - 1] == 0 ? null : throttle[pass - 1], null, null);
            Escalator.Action a = e.onReading(pass * 5000L, s);
            if (a != null) actions.add(a);
        }

        assertThat(actions).hasSize(3);
        assertThat(actions.get(0)).isInstanceOfSatisfying(Escalator.StartThrottle.class, t -> {
            assertThat(t.parameters()).containsEntry("cpu-throttle-initial", 88L).containsEntry("throttle-trigger-threshold", 50L);
            assertThat(t.reason()).contains("beyond the 50 ms maximum", "throttling the vCPUs from 88%");
        });
        assertThat(actions.get(1)).isInstanceOfSatisfying(Escalator.StartThrottle.class,
                t -> assertThat(t.parameters()).containsEntry("cpu-throttle-increment", 11L));
        assertThat(actions.get(2)).isInstanceOf(Escalator.SwitchToPostcopy.class);
        assertThat(e.escalations()).isEqualTo(3);
    }

    @Test
    void anActiveThrottleThatIsNotEnoughIsRushedToTheMaximumAndGivenTimeToWork() {
        LivePlan p = plan(new LiveInputs(256 * MIB, 80 * MIB, 20 * MIB, 96 * MIB), false, true, null);
        assertThat(p.strategy()).isEqualTo(Strategy.AUTO_CONVERGE);
        Escalator e = new Escalator(p);
        List<Escalator.Action> actions = new ArrayList<>();
        long[] remaining = {256, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96};
        int[] throttle = {0, 0, 0, 88, 88, 88, 99, 99, 99, 99, 99, 99, 99, 99};
        for (int pass = 1; pass <= remaining.length; pass++) {
            MigrationStats s = new MigrationStats("active", pass * 5000L, 4800L, null, 0, 0, remaining[pass - 1] * MIB, 256 * MIB, 0, 4096,
                    160, pass, null, throttle[pass - 1] == 0 ? null : throttle[pass - 1], null, null);
            Escalator.Action a = e.onReading(pass * 5000L, s);
            if (a != null) actions.add(a);
        }

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOfSatisfying(Escalator.StartThrottle.class, t -> {
            assertThat(t.parameters()).containsEntry("cpu-throttle-increment", 11L);
            assertThat(t.reason()).contains("throttled to 88%", "goes to 99%");
        });
        assertThat(actions.get(1)).as("only at 99% and still stalled does it give up").isInstanceOf(Escalator.GiveUp.class);
    }

    @Test
    void withNothingLeftItGivesUpAndSaysWhatWouldHelp() {
        LivePlan p = plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), false, false, null);
        Escalator e = new Escalator(new LivePlan(Strategy.PRECOPY, p.inputs(), p.limits(), p.predictions(), p.downtimeSteps(), 50,
                p.capabilities(), p.parameters(), null, false));

        List<Escalator.Action> actions = run(e, new long[] {256, 96, 96, 96, 96, 96, 96, 96, 96}, 4800L);

        assertThat(actions).hasSize(1);
        assertThat(actions.get(0)).isInstanceOfSatisfying(Escalator.GiveUp.class, g -> assertThat(g.reason())
                .contains("no progress over 3 more passes", "--allow-postcopy would let it finish", "--allow-throttle might"));
    }

    @Test
    void aPlannedPostcopySwitchesAfterTheFirstPassWithoutCountingAsEscalation() {
        LivePlan p = plan(new LiveInputs(256 * MIB, 80 * MIB, 20 * MIB, 96 * MIB), true, false, null);
        assertThat(p.strategy()).isEqualTo(Strategy.POSTCOPY);
        Escalator e = new Escalator(p);

        assertThat(e.onReading(100, at(1, 256, null))).isNull();
        assertThat(e.onReading(13_000, at(2, 96, 4800L))).isInstanceOf(Escalator.SwitchToPostcopy.class);
        assertThat(e.onReading(13_300, at(2, 90, 4800L))).isNull();
        assertThat(e.escalations()).isZero();
    }

    @Test
    void nearTheMaximumDurationItSwitchesAndPastItItGivesUp() {
        LivePlan withPost = plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), true, false, 100_000L);
        Escalator e = new Escalator(withPost);
        assertThat(e.onReading(79_000, at(3, 10, 500L))).isNull();
        assertThat(e.onReading(81_000, at(3, 10, 500L))).isInstanceOfSatisfying(Escalator.SwitchToPostcopy.class,
                s -> assertThat(s.reason()).contains("81 s of the 100 s --max-duration"));

        LivePlan without = plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), false, false, 100_000L);
        Escalator f = new Escalator(without);
        assertThat(f.onReading(101_000, at(9, 10, 500L))).isInstanceOfSatisfying(Escalator.GiveUp.class,
                g -> assertThat(g.reason()).contains("exceeded --max-duration 100 s"));
    }

    @Test
    void postcopyReadingsAreNotJudged() {
        Escalator e = new Escalator(plan(new LiveInputs(256 * MIB, 0, 20 * MIB, null), true, true, 100_000L));
        MigrationStats post = new MigrationStats("postcopy-active", 0, null, null, 0, 0, 5, 5, 0, 4096, 1, 3, null);

        assertThat(e.onReading(999_999, post)).isNull();
    }

    /** A guest that XBZRLE is planned for: 1 GiB dirtied at 80 MiB/s over a 100 MiB/s link, done within 30 s. */
    private static LivePlan xbzrlePlan(boolean throttle) {
        LivePlan p = LivePlanner.plan(new LiveInputs(1024 * MIB, 80 * MIB, 100 * MIB, null), new LiveLimits(300, 30_000L, false, throttle),
                null, ModelConstants.DEFAULT).plan();
        assertThat(p.strategy()).isEqualTo(Strategy.XBZRLE);
        return p;
    }

    /** A reading at {@code pass} with QEMU's XBZRLE counters: pages sent as deltas (of {@code bytes}), pages that overflowed. */
    private static MigrationStats xbzrle(long pass, long pages, long bytes, long overflow) {
        return new MigrationStats("active", pass * 3000, 4800L, null, 0, 0, 400 * MIB, 1024 * MIB, 0, 4096, 800, pass, null, null, null,
                null, pass == 1 ? null : new MigrationStats.Xbzrle(pages, bytes, overflow, 0));
    }

    @Test
    void xbzrleThatOnlyOverflowsIsGivenUpAtOnceForTheThrottle() {
        Escalator e = new Escalator(xbzrlePlan(true));

        assertThat(e.onReading(1000, xbzrle(1, 0, 0, 0))).isNull();
        assertThat(e.onReading(2000, xbzrle(2, 100, 100 * 1000, 500))).as("too few pages to judge").isNull();
        Escalator.Action a = e.onReading(3000, xbzrle(2, 100, 100 * 1000, 6000));
        assertThat(a).isNull(); // same pass: judged on the next one
        a = e.onReading(4000, xbzrle(3, 100, 100 * 1000, 6000));
        assertThat(a).isInstanceOfSatisfying(Escalator.StartThrottle.class, t -> assertThat(t.reason())
                .contains("XBZRLE does not help this guest: a re-sent page costs 99% of its size (QEMU's counters over 6100 re-sent pages, 6000 of them sent whole)")
                .contains("throttling the vCPUs from"));
        assertThat(e.escalations()).isEqualTo(1);
        assertThat(e.onReading(5000, xbzrle(4, 100, 100 * 1000, 9000))).as("judged once").isNull();
    }

    @Test
    void xbzrleThatCompressesIsLeftToWork() {
        Escalator e = new Escalator(xbzrlePlan(true));
        for (int pass = 1; pass <= 3; pass++) {
            assertThat(e.onReading(pass * 1000L, xbzrle(pass, 5000L * pass, 5000L * pass * 1000, 10))).isNull();
        }
        assertThat(e.escalations()).isZero();
    }

    @Test
    void withNothingElseAllowedAUselessXbzrleIsNoReasonToGiveUp() {
        Escalator e = new Escalator(xbzrlePlan(false));
        assertThat(e.onReading(1000, xbzrle(1, 0, 0, 0))).isNull();
        assertThat(e.onReading(2000, xbzrle(2, 10, 10_000, 6000))).isNull();
        assertThat(e.onReading(3000, xbzrle(3, 10, 10_000, 9000))).isNull();
        assertThat(e.escalations()).isZero();
    }
}

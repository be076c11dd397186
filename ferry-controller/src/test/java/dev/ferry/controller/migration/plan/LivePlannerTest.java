package dev.ferry.controller.migration.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The pre-copy model and the planner's choices: a table of convergent, marginal and non-convergent
 * guests with the numbers worked out by hand, the refusal texts, and seeded random inputs checked
 * against the closed form M*(D/B)^i and against invariants any sound prediction keeps.
 */
class LivePlannerTest {
    private static final long MIB = 1024 * 1024;
    private static final ModelConstants K = ModelConstants.DEFAULT;

    private static LiveInputs in(long memMiB, long dirtyMiBps, long bwMiBps, Long wssMiB) {
        return new LiveInputs(memMiB * MIB, dirtyMiBps * MIB, bwMiBps * MIB, wssMiB == null ? null : wssMiB * MIB);
    }

    private static LiveLimits limits(long maxDowntimeMs, Long maxDurationS, boolean postcopy, boolean throttle) {
        return new LiveLimits(maxDowntimeMs, maxDurationS == null ? null : maxDurationS * 1000, postcopy, throttle);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // name, inputs, limits, chosen strategy (null = refused), rounds, total ms, downtime ms
                Arguments.of("idle", in(256, 0, 100, null), limits(300, null, false, false), Strategy.PRECOPY, 1, 2560L, 0L),
                Arguments.of("dirty 0.3x the link", in(1024, 30, 100, null), limits(300, null, false, false), Strategy.PRECOPY, 4, 14593L, 83L),
                Arguments.of("dirty 0.8x the link", in(1024, 80, 100, null), limits(300, null, false, false), Strategy.PRECOPY, 19, 50608L, 148L),
                Arguments.of("0.8x, but 30 s at most: XBZRLE", in(1024, 80, 100, null), limits(300, 30L, false, false), Strategy.XBZRLE, 5, 16997L, 105L),
                Arguments.of("small working set just above half the limit", in(256, 80, 20, 3L), limits(200, null, false, false),
                        Strategy.DOWNTIME_STEPS, 1, 12950L, 150L),
                Arguments.of("non-convergent, nothing allowed", in(256, 80, 20, 96L), limits(50, null, false, false), null, 0, 0L, 0L),
                Arguments.of("non-convergent, throttle allowed", in(256, 80, 20, 96L), limits(50, null, false, true), Strategy.AUTO_CONVERGE,
                        11, 31618L, 13L),
                Arguments.of("non-convergent, post-copy allowed", in(256, 80, 20, 96L), limits(50, null, true, false), Strategy.POSTCOPY,
                        1, 17620L, 20L),
                Arguments.of("non-convergent, both allowed: throttle is cheaper", in(256, 80, 20, 96L), limits(50, null, true, true),
                        Strategy.AUTO_CONVERGE, 11, 31618L, 13L),
                Arguments.of("far too slow a link for --max-duration", in(4096, 0, 10, null), limits(300, 60L, true, true), null, 0, 0L, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void choosesTheCheapestStrategyThatMeetsTheLimits(String name, LiveInputs in, LiveLimits limits, Strategy expected, int rounds,
                                                      long totalMs, long downtimeMs) {
        PlanDecision d = LivePlanner.plan(in, limits, null, K);

        if (expected == null) {
            assertThat(d.refused()).as(name).isTrue();
            assertThat(d.refusal()).startsWith("no allowed strategy");
            return;
        }
        assertThat(d.refused()).as("%s: %s", name, d.refusal()).isFalse();
        Prediction p = d.plan().chosen();
        assertThat(p.strategy()).as(name + ": " + d.predictions()).isEqualTo(expected);
        assertThat(p.rounds()).as(name).isEqualTo(rounds);
        assertThat(p.totalMs()).as(name).isCloseTo(totalMs, within(2L));
        assertThat(p.downtimeMs()).as(name).isCloseTo(downtimeMs, within(1L));
        assertThat(p.downtimeMs()).isLessThanOrEqualTo(limits.maxDowntimeMs());
        assertThat(d.predictions()).extracting(Prediction::strategy).containsExactly(Strategy.values());
    }

    @Test
    void refusesANonConvergentGuestAndSaysWhyForEveryStrategy() {
        PlanDecision d = LivePlanner.plan(in(256, 80, 20, 96L), limits(50, null, false, false), null, K);

        assertThat(d.refusal())
                .contains("within a downtime of 50 ms")
                .contains("dirty rate 80.0 MiB/s", "working set 96 MiB", "bandwidth 20.0 MiB/s")
                .contains("precopy: does not converge: the guest dirties 80 MiB/s against a 20 MiB/s link, so every round leaves"
                        + " about 96 MiB dirty (its writable working set), which takes 4800 ms to send, more than the 25 ms limit")
                .contains("downtime-steps: does not converge", "more than the 50 ms limit")
                .contains("xbzrle: does not converge with a 128 MiB cache")
                .contains("auto-converge: not allowed (pass --allow-throttle)")
                .contains("postcopy: not allowed (pass --allow-postcopy; a failure of either host during post-copy loses the VM)");
    }

    @Test
    void aGuestWithoutAKnownWorkingSetIsCappedByItsMemory() {
        PlanDecision d = LivePlanner.plan(in(256, 80, 20, null), limits(50, null, false, false), null, K);

        assertThat(d.refusal()).contains("every round leaves about 256 MiB dirty, which takes 12800 ms")
                .doesNotContain("(its writable working set)");
    }

    @Test
    void theRefusalNamesTheMaximumDuration() {
        PlanDecision d = LivePlanner.plan(in(4096, 0, 10, null), limits(300, 60L, true, true), null, K);

        assertThat(d.refusal()).contains("within a downtime of 300 ms and 60 s")
                .contains("precopy: does not converge within --max-duration 60 s")
                .contains("postcopy: 1 round, 409.6 s, downtime 20 ms, 4096 MiB (misses the limits)");
    }

    @Test
    void thePlanSetsUpQemuForTheStrategyAndKeepsEscalationsInReserve() {
        LivePlan xbzrle = LivePlanner.plan(in(1024, 80, 100, 600L), limits(300, 30L, true, true), 100 * MIB, K).plan();
        assertThat(xbzrle.strategy()).isEqualTo(Strategy.XBZRLE);
        assertThat(xbzrle.capabilities()).containsEntry("xbzrle", true).containsEntry("auto-converge", true)
                .containsEntry("postcopy-ram", true);
        assertThat(xbzrle.parameters()).containsEntry("xbzrle-cache-size", 1024 * MIB)
                .containsEntry("throttle-trigger-threshold", 100L).containsEntry("cpu-throttle-initial", 1L)
                .containsEntry("max-postcopy-bandwidth", 100 * MIB);
        assertThat(xbzrle.downtimeSteps()).containsExactly(150L, 225L, 300L);

        LivePlan throttle = LivePlanner.plan(in(256, 80, 20, 96L), limits(50, null, false, true), null, K).plan();
        assertThat(throttle.throttleActive()).isTrue();
        assertThat(throttle.parameters()).containsEntry("cpu-throttle-initial", 88L).containsEntry("throttle-trigger-threshold", 50L)
                .containsEntry("cpu-throttle-increment", 10L);
        assertThat(throttle.capabilities()).doesNotContainKey("postcopy-ram").doesNotContainKey("xbzrle");

        LivePlan plain = LivePlanner.plan(in(256, 0, 100, null), limits(300, null, false, false), null, K).plan();
        assertThat(plain.capabilities()).isEmpty();
        assertThat(plain.parameters()).isEmpty();
        assertThat(plain.initialDowntimeMs()).isEqualTo(150);
    }

    @Test
    void helpersRoundAndEstimateAsDocumented() {
        assertThat(LivePlanner.downtimeSteps(50)).containsExactly(25L, 37L, 50L);
        assertThat(LivePlanner.downtimeSteps(1)).containsExactly(1L);
        assertThat(LivePlanner.xbzrleCacheBytes(in(256, 80, 20, 96L))).isEqualTo(128 * MIB);
        assertThat(LivePlanner.xbzrleCacheBytes(in(256, 80, 20, 64L))).isEqualTo(64 * MIB);
        assertThat(LivePlanner.initialThrottlePct(in(256, 80, 20, 96L))).isEqualTo(88);
        assertThat(LivePlanner.initialThrottlePct(in(256, 5, 20, null))).isEqualTo(20);
        // 96 MiB set at 80 MiB/s: 80 MiB distinct in the first second, 96 over two.
        assertThat(WorkingSetEstimate.of(80 * MIB, 1000, 48 * MIB, 2000)).isEqualTo(96 * MIB);
        assertThat(WorkingSetEstimate.of(30 * MIB, 1000, 30 * MIB, 2000)).as("not saturated").isNull();
        assertThat(WorkingSetEstimate.of(0, 1000, 0, 2000)).isNull();
        assertThat(PrecopyModel.warm(200 * MIB, 100 * MIB).downtimeMs()).isEqualTo(2000.0);
    }

    @Test
    void seededRandomGuestsMatchTheClosedFormAndKeepTheInvariants() {
        Random rnd = new Random(20261126L);
        for (int i = 0; i < 2000; i++) {
            long mem = (64 + rnd.nextInt(4096)) * MIB;
            long bw = (1 + rnd.nextInt(1000)) * MIB;
            long dirty = (long) (bw * rnd.nextDouble() * 1.5);
            Long wss = rnd.nextBoolean() ? null : (long) (mem * rnd.nextDouble());
            long limit = 1 + rnd.nextInt(1000);
            LiveInputs in = new LiveInputs(mem, dirty, bw, wss);
            PrecopyModel.Run r = PrecopyModel.simulate(in, limit, 1.0, null, 200, null);
            String what = in + " at " + limit + " ms";

            if (r.converged()) {
                assertThat(r.downtimeMs()).as(what).isLessThanOrEqualTo(limit);
                assertThat(r.totalMs()).as(what).isGreaterThanOrEqualTo(mem * 1000.0 / bw - 1e-6);
                assertThat(r.bytes()).as(what).isGreaterThanOrEqualTo(mem);
                PrecopyModel.Run faster = PrecopyModel.simulate(new LiveInputs(mem, dirty, bw * 2, wss), limit, 1.0, null, 200, null);
                assertThat(faster.converged()).as("twice the bandwidth: " + what).isTrue();
                assertThat(faster.totalMs()).as("twice the bandwidth: " + what).isLessThanOrEqualTo(r.totalMs() + 1e-6);
            }
            if (wss == null && dirty < bw && r.converged()) {
                double ratio = (double) dirty / bw;
                double closed = 0;
                for (int k = 0; k <= r.rounds(); k++) closed += mem * Math.pow(ratio, k) / bw * 1000;
                assertThat(r.totalMs()).as("closed form M/B * sum (D/B)^i: " + what).isCloseTo(closed, within(closed * 1e-9 + 1e-6));
                assertThat(r.downtimeMs()).as(what).isCloseTo(mem * Math.pow(ratio, r.rounds()) / bw * 1000, within(1e-6));
            }
            if (dirty >= bw && (wss == null ? mem : Math.min(wss, mem)) * 1000.0 / bw > limit && mem * 1000.0 / bw > limit) {
                assertThat(r.converged()).as("dirtier than the link and a working set beyond the limit: " + what).isFalse();
            }
            PlanDecision d = LivePlanner.plan(in, new LiveLimits(limit, null, rnd.nextBoolean(), rnd.nextBoolean()), null, K);
            if (!d.refused()) {
                assertThat(d.plan().chosen().meetsLimits()).isTrue();
                assertThat(d.predictions().stream().filter(Prediction::meetsLimits).findFirst()).contains(d.plan().chosen());
            } else {
                assertThat(d.predictions()).noneMatch(Prediction::meetsLimits);
            }
        }
    }

    @Test
    void predictionsDescribeThemselves() {
        List<Prediction> all = LivePlanner.predictAll(in(1024, 30, 100, null), limits(300, null, false, false), K);

        assertThat(all.get(0).describe()).isEqualTo("precopy: 4 rounds, 14.6 s, downtime 83 ms, 1459 MiB - converges at a 150 ms downtime limit");
    }
}

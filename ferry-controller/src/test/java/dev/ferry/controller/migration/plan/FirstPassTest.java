package dev.ferry.controller.migration.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The first pass sends only the guest's resident memory when that was measured: a mostly idle
 * guest is predicted faster and cheaper, later rounds are still the dirtied pages capped by the
 * working set, and without the measurement (null) every prediction is what it was before.
 */
class FirstPassTest {
    private static final long MIB = 1024 * 1024;
    private static final ModelConstants K = ModelConstants.DEFAULT;

    private static LiveInputs in(long memMiB, long dirtyMiBps, long bwMiBps, Long wssMiB, Long residentMiB) {
        return new LiveInputs(memMiB * MIB, dirtyMiBps * MIB, bwMiBps * MIB, wssMiB == null ? null : wssMiB * MIB,
                residentMiB == null ? null : residentMiB * MIB);
    }

    private static LiveLimits limits(long maxDowntimeMs, boolean postcopy) {
        return new LiveLimits(maxDowntimeMs, null, postcopy, false);
    }

    @Test
    void anIdleGuestWithLittleResidentMemorySendsOnlyThat() {
        Prediction all = LivePlanner.plan(in(256, 0, 100, null, null), limits(300, false), null, K).plan().chosen();
        Prediction resident = LivePlanner.plan(in(256, 0, 100, null, 64L), limits(300, false), null, K).plan().chosen();

        assertThat(all.totalMs()).isEqualTo(2560);
        assertThat(all.bytes()).isEqualTo(256 * MIB);
        assertThat(resident.totalMs()).as("64 MiB at 100 MiB/s").isEqualTo(640);
        assertThat(resident.bytes()).isEqualTo(64 * MIB);
        assertThat(resident.rounds()).isEqualTo(1);
    }

    @Test
    void aDirtyingGuestStartsItsRoundsFromTheResidentMemory() {
        // 256 MiB at 100 MiB/s: 2560 ms, 76.8 MiB dirtied at 30 MiB/s; then 768 ms, 23.04 MiB; 230.4 ms, 6.912 MiB;
        // 69.12 ms fits the 150 ms limit: 3 rounds, 3627.52 ms, 362.752 MiB.
        PrecopyModel.Run r = PrecopyModel.simulate(in(1024, 30, 100, null, 256L), 150, 1.0, null, K.maxRounds(), null);
        PrecopyModel.Run before = PrecopyModel.simulate(in(1024, 30, 100, null, null), 150, 1.0, null, K.maxRounds(), null);

        assertThat(r.converged()).isTrue();
        assertThat(r.rounds()).isEqualTo(3);
        assertThat(r.totalMs()).isCloseTo(3627.52, within(1e-6));
        assertThat(r.downtimeMs()).isCloseTo(69.12, within(1e-6));
        assertThat(r.bytes()).isCloseTo(362.752 * MIB, within(1.0));
        assertThat(before.rounds()).isEqualTo(4);
        assertThat(r.totalMs()).isLessThan(before.totalMs());
        assertThat(r.bytes()).isLessThan(before.bytes());
    }

    @Test
    void laterRoundsAreStillCappedByTheWorkingSet() {
        PlanDecision d = LivePlanner.plan(in(256, 80, 20, 96L, 128L), limits(50, false), null, K);

        assertThat(d.refused()).isTrue();
        assertThat(d.refusal()).contains("memory 256 MiB (128 MiB resident), dirty rate 80.0 MiB/s")
                .contains("every round leaves about 96 MiB dirty (its writable working set), which takes 4800 ms");
    }

    @Test
    void postcopySwitchesAfterTheResidentMemoryAndFetchesTheDirtiedRest() {
        // first pass 128 MiB at 20 MiB/s = 6.4 s, during which 512 MiB would be dirtied, capped by the 96 MiB set: 4.8 s more.
        List<Prediction> all = LivePlanner.predictAll(in(256, 80, 20, 96L, 128L), limits(50, true), K);
        Prediction post = all.get(all.size() - 1);

        assertThat(post.strategy()).isEqualTo(Strategy.POSTCOPY);
        assertThat(post.totalMs()).isEqualTo(6400 + 20 + 4800);
        assertThat(post.bytes()).isEqualTo(224 * MIB);
        assertThat(post.reason()).isEqualTo("switches after the first pass (6.4 s); 96 MiB follow on demand");
        assertThat(LivePlanner.predictAll(in(256, 80, 20, 96L, null), limits(50, true), K).get(all.size() - 1).totalMs())
                .as("the whole RAM first, as before").isEqualTo(17620);
    }

    @Test
    void withoutAKnownWorkingSetTheXbzrleCacheFitsWhatTheShorterFirstPassLetsTheGuestDirty() {
        assertThat(LivePlanner.xbzrleCacheBytes(in(1024, 30, 100, null, null))).as("307 MiB in 10.24 s").isEqualTo(512 * MIB);
        assertThat(LivePlanner.xbzrleCacheBytes(in(1024, 30, 100, null, 256L))).as("77 MiB in 2.56 s").isEqualTo(128 * MIB);
        assertThat(LivePlanner.xbzrleCacheBytes(in(1024, 30, 100, 600L, 256L))).as("a known set decides").isEqualTo(1024 * MIB);
    }

    @Test
    void theInputsSayHowMuchIsResidentOnlyWhenItWasMeasured() {
        assertThat(LivePlanner.inputs(in(256, 5, 20, null, 190L)))
                .isEqualTo("memory 256 MiB (190 MiB resident), dirty rate 5.0 MiB/s, working set unknown, bandwidth 20.0 MiB/s");
        assertThat(LivePlanner.inputs(in(256, 5, 20, null, null)))
                .isEqualTo("memory 256 MiB, dirty rate 5.0 MiB/s, working set unknown, bandwidth 20.0 MiB/s");
    }

    @Test
    void residentMemoryIsAtMostTheRamAndNeverNegative() {
        assertThat(in(256, 0, 100, null, 300L).firstPassBytes()).isEqualTo(256 * MIB);
        assertThat(new LiveInputs(256 * MIB, 0, 100 * MIB, null)).isEqualTo(in(256, 0, 100, null, null));
        assertThatThrownBy(() -> in(256, 0, 100, null, -1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seededRandomGuestsAreNeverSlowerForLessResidentMemoryAndUnknownIsAllOfIt() {
        Random rnd = new Random(20261127L);
        for (int i = 0; i < 2000; i++) {
            long mem = (64 + rnd.nextInt(4096)) * MIB;
            long bw = (1 + rnd.nextInt(1000)) * MIB;
            long dirty = (long) (bw * rnd.nextDouble() * 1.5);
            Long wss = rnd.nextBoolean() ? null : (long) (mem * rnd.nextDouble());
            long resident = (long) (mem * rnd.nextDouble());
            LiveLimits limits = new LiveLimits(1 + rnd.nextInt(1000), rnd.nextBoolean() ? null : 1000L * (1 + rnd.nextInt(600)),
                    rnd.nextBoolean(), rnd.nextBoolean());
            LiveInputs unknown = new LiveInputs(mem, dirty, bw, wss);
            LiveInputs less = new LiveInputs(mem, dirty, bw, wss, resident);
            String what = less + " " + limits;

            assertThat(LivePlanner.predictAll(new LiveInputs(mem, dirty, bw, wss, mem), limits, K)).as("all resident is unknown: " + what)
                    .isEqualTo(LivePlanner.predictAll(unknown, limits, K));
            PrecopyModel.Run a = PrecopyModel.simulate(unknown, limits.maxDowntimeMs(), 1.0, null, 200, null);
            PrecopyModel.Run b = PrecopyModel.simulate(less, limits.maxDowntimeMs(), 1.0, null, 200, null);
            if (a.converged()) {
                assertThat(b.converged()).as(what).isTrue();
                assertThat(b.rounds()).as(what).isLessThanOrEqualTo(a.rounds());
                assertThat(b.totalMs()).as(what).isLessThanOrEqualTo(a.totalMs() + 1e-6);
                assertThat(b.bytes()).as(what).isLessThanOrEqualTo(a.bytes() + 1e-3);
            }
            PrecopyModel.Run pa = PrecopyModel.postcopy(unknown, K.postcopySwitchMs());
            PrecopyModel.Run pb = PrecopyModel.postcopy(less, K.postcopySwitchMs());
            assertThat(pb.totalMs()).as(what).isLessThanOrEqualTo(pa.totalMs() + 1e-6);
            assertThat(pb.bytes()).as(what).isLessThanOrEqualTo(pa.bytes() + 1e-3);
        }
    }
}

package dev.ferry.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.MigrationStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class NovaLikePolicyTest {
    private static final MigrationStats ACTIVE = new MigrationStats("active", 0, null, null, 0, 0, 0, 0, 0, 4096, 0, 1, null);

    @Test
    void stepsRiseLinearlyToTheMaximumAsNovaDocumentsFor3GiB() {
        // Nova's own example: 10 steps, 30 s delay per GiB, 3 GiB, 400 ms -> 40, 76, ... 400 ms every 90 s.
        // With 75 s/GiB and 500 ms the same formula gives 50 ms, then +45 ms every 225 s for 3 GiB.
        List<NovaLikePolicy.DowntimeStep> steps = NovaLikePolicy.steps(3);
        assertThat(steps).hasSize(11);
        assertThat(steps.get(0)).isEqualTo(new NovaLikePolicy.DowntimeStep(0, 50));
        assertThat(steps.get(1)).isEqualTo(new NovaLikePolicy.DowntimeStep(225_000, 95));
        assertThat(steps.get(10)).isEqualTo(new NovaLikePolicy.DowntimeStep(2_250_000, 500));
    }

    @Test
    void aQuarterGiBGuestStepsEvery18SecondsAndAbortsAfter200() {
        NovaLikePolicy p = new NovaLikePolicy(0.25);
        assertThat(p.steps().get(1).atMs()).isEqualTo(18_000);
        assertThat(p.timeoutMs()).isEqualTo(200_000);
    }

    @Test
    void eachStepIsAppliedOnceWhenItsTimeComesThenTheTimeoutAborts() {
        NovaLikePolicy p = new NovaLikePolicy(0.25);
        assertThat(p.onReading(100, ACTIVE).downtimeLimitMs()).isEqualTo(50);
        assertThat(p.onReading(200, ACTIVE)).isEqualTo(BaselinePolicy.Step.NONE);
        assertThat(p.onReading(18_100, ACTIVE).downtimeLimitMs()).isEqualTo(95);
        assertThat(p.onReading(18_200, ACTIVE)).isEqualTo(BaselinePolicy.Step.NONE);
        // a reading late enough to pass several steps jumps to the latest one
        assertThat(p.onReading(60_000, ACTIVE).downtimeLimitMs()).isEqualTo(185);
        BaselinePolicy.Step last = p.onReading(200_001, ACTIVE);
        assertThat(last.abort()).isTrue();
        assertThat(last.why()).contains("800 s/GiB");
    }

    @Test
    void autoConvergeIsOnAndTheStreamUncapped() {
        NovaLikePolicy p = new NovaLikePolicy(0.25);
        assertThat(p.capabilities()).containsEntry("auto-converge", true);
        assertThat(p.parameters()).containsEntry("downtime-limit", 50L).containsKey("max-bandwidth");
        assertThat(new BaselinePolicy.QemuDefaults().parameters()).isEmpty();
        assertThat(new BaselinePolicy.QemuDefaults().capabilities()).isEmpty();
    }
}

package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSimulationTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final PlanDefinition.Limits WIDE = new PlanDefinition.Limits(10, 10, 10, 10);

    @Test
    void movesSharingALinkTakeAsLongAsTheirSumAndSeparateLinksRunInParallel() {
        List<PlanScheduler.Move> shared = List.of(new PlanScheduler.Move(0, "a", "h1", "h2", 1, List.of(), 10_000),
                new PlanScheduler.Move(1, "b", "h2", "h1", 1, List.of(), 10_000));
        assertThat(PlanSimulation.run(shared, WIDE, T0, null, null).totalMs()).isEqualTo(20_000);
        List<PlanScheduler.Move> separate = List.of(new PlanScheduler.Move(0, "a", "h1", "h2", 1, List.of(), 10_000),
                new PlanScheduler.Move(1, "b", "h3", "h4", 1, List.of(), 10_000));
        assertThat(PlanSimulation.run(separate, WIDE, T0, null, null).totalMs()).isEqualTo(10_000);
    }

    @Test
    void wavesAddUpAndTheWindowsOpeningIsWaitedFor() {
        List<PlanScheduler.Move> moves = List.of(new PlanScheduler.Move(0, "a", "h1", "h2", 1, List.of(), 5_000),
                new PlanScheduler.Move(1, "b", "h3", "h4", 2, List.of(), 7_000));
        assertThat(PlanSimulation.run(moves, WIDE, T0, null, null).totalMs()).isEqualTo(12_000);
        PlanSimulation.Result r = PlanSimulation.run(moves, WIDE, T0, T0.plusSeconds(60), T0.plusSeconds(3600));
        assertThat(r.totalMs()).isEqualTo(72_000);
        PlanSimulation.Result tight = PlanSimulation.run(moves, WIDE, T0, T0, T0.plusSeconds(10));
        assertThat(tight.skipped()).containsOnlyKeys(1);
    }
}

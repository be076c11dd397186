package dev.ferry.controller.migration.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.DirtyRate;
import org.junit.jupiter.api.Test;

/** How the plan phase takes the resident memory from its two dirty-rate measurements. */
class PlanPhaseResidentTest {
    private static DirtyRate rate(Long resident) {
        return new DirtyRate(0, 500, 4096, 256L << 20, resident);
    }

    @Test
    void takesTheLargerReadingOrTheOneThatWasReadOrNone() {
        assertThat(PlanPhase.residentBytes(rate(100L), rate(120L))).isEqualTo(120L);
        assertThat(PlanPhase.residentBytes(rate(130L), rate(120L))).isEqualTo(130L);
        assertThat(PlanPhase.residentBytes(rate(null), rate(120L))).isEqualTo(120L);
        assertThat(PlanPhase.residentBytes(rate(100L), rate(null))).isEqualTo(100L);
        assertThat(PlanPhase.residentBytes(new DirtyRate(0, 500, 4096, 256L << 20), rate(null))).as("an older agent").isNull();
    }
}

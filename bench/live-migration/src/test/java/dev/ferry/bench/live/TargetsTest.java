package dev.ferry.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    private static final long GOODPUT = 100L << 20;

    private static Outcome ferry(String workload, boolean converged, long totalMs, Long downtimeMs, Long predictedMs) {
        return new Outcome("1gbit", workload, "ferry", converged, converged ? "completed" : "stopped", totalMs, downtimeMs, 0, 0, totalMs,
                100L << 20, GOODPUT, predictedMs, 20L, "precopy", null, "intact");
    }

    @Test
    void allMetWhenEveryCellConvergesNearTheLimitAndIsPredictedWell() {
        List<Targets.Verdict> v = Targets.check(List.of(ferry("idle", true, 1100, 40L, 1200L),
                ferry("nonconvergent", true, 9000, 250L, 8000L)), 300, "ferry");
        assertThat(v).extracting(Targets.Verdict::met).containsExactly(true, true, true);
    }

    @Test
    void eachMissNamesTheCellAndTheFigure() {
        List<Targets.Verdict> v = Targets.check(List.of(ferry("idle", true, 1300, 40L, 2600L),
                ferry("dirty-0.8", true, 5000, 400L, 5000L), ferry("nonconvergent", false, 90_000, null, 30_000L)), 300, "ferry");
        assertThat(v.get(0).met()).isFalse();
        assertThat(v.get(0).detail()).contains("1 of 3").contains("1gbit/dirty-0.8 downtime 400 ms").contains("1gbit/nonconvergent did not converge");
        // the physical limit is 1 s: 1.3 s is 1.30x, 5 s is 5.00x; the non-convergent row is not judged here
        assertThat(v.get(1).met()).isFalse();
        assertThat(v.get(1).detail()).startsWith("0 of 2").contains("1gbit/idle 1.30x").contains("1gbit/dirty-0.8 5.00x");
        // predictions are judged only where the migration completed
        assertThat(v.get(2).detail()).startsWith("1 of 2").contains("1gbit/idle predicted 2.6 s, measured 1.3 s (100% off)");
    }

    @Test
    void otherPoliciesRowsAreNotCounted() {
        Outcome qemu = new Outcome("1gbit", "idle", "qemu-defaults", false, "stopped", 1, null, 0, 0, 1, 1, 1, null, null, "-", null, "x");
        assertThat(Targets.check(List.of(qemu, ferry("idle", true, 1000, 10L, 1000L)), 300, "ferry").get(0).met()).isTrue();
    }
}

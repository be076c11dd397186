package dev.ferry.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadTest {
    private static Workload byId(String id) {
        return Workload.matrix().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void ratesFollowTheLinkSoRowsMeanTheSameOnEveryLink() {
        assertThat(byId("dirty-0.3").rateMiBps(114)).isEqualTo(34);
        assertThat(byId("dirty-0.8").rateMiBps(11.4)).isEqualTo(9);
        assertThat(byId("idle").rateMiBps(114)).isEqualTo(1);
        assertThat(byId("dirty-0.8").cmdline(114)).contains("ferry.mem=128").contains("ferry.rate=91").contains("ferry.hb=100");
    }

    @Test
    void onlyTheNonConvergentRowIsNonConvergentOnBothLinks() {
        for (double goodput : new double[] {114, 11.4}) {
            for (Workload w : Workload.matrix()) {
                assertThat(w.nonConvergent(goodput, 300)).as(w.id() + " at " + goodput).isEqualTo(w.id().equals("nonconvergent"));
            }
        }
    }

    @Test
    void theGuestHasRoomForItsBuffer() {
        for (Workload w : Workload.matrix()) assertThat(w.bufferMiB() + 64).isLessThanOrEqualTo(Workload.GUEST_MEMORY_MIB);
    }
}

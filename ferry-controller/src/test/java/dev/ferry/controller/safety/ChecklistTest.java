package dev.ferry.controller.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.api.safety.PerfSample;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.vm.VmState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecklistTest {
    static GuestHealth health(Long beat, boolean ok) {
        return new GuestHealth(beat, null, null, null, ok ? 0 : 1, false, ok, ok ? "HEARTBEAT" : "DISK-CORRUPT slot=1", null, null, 200L);
    }

    /** Readings every 500 ms; heartbeat i-th value from {@code beats} (null: prints none). */
    static List<Checklist.Reading> readings(VmState state, Long... beats) {
        List<Checklist.Reading> out = new ArrayList<>();
        for (int i = 0; i < beats.length; i++) out.add(new Checklist.Reading(1000L + 500L * i, state, health(beats[i], true)));
        return out;
    }

    @Test
    void runningHoldsOnlyWhenEveryReadingSawTheVmRunning() {
        assertThat(Checklist.running("b", readings(VmState.RUNNING, 1L, 2L, 3L)).ok()).isTrue();
        List<Checklist.Reading> rs = new ArrayList<>(readings(VmState.RUNNING, 1L, 2L));
        rs.add(new Checklist.Reading(2000, VmState.PAUSED, health(2L, true)));
        Check c = Checklist.running("b", rs);
        assertThat(c.ok()).isFalse();
        assertThat(c.detail()).contains("paused on b").contains("1 of 3");
        assertThat(Checklist.running("b", List.of()).ok()).isFalse();
    }

    @Test
    void aHeartbeatThatStopsLongerThanTheLimitFails() {
        assertThat(Checklist.heartbeat("b", readings(VmState.RUNNING, 1L, 3L, 5L, 7L, 9L, 11L, 13L)).ok()).isTrue();
        // advances, then stands still for 3 s (> 2 s limit: max(2 s, 10 x 200 ms))
        Check stalled = Checklist.heartbeat("b", readings(VmState.RUNNING, 1L, 3L, 5L, 5L, 5L, 5L, 5L, 5L, 5L));
        assertThat(stalled.ok()).isFalse();
        assertThat(stalled.detail()).contains("longest stall 3.0 s").contains("limit 2.0 s");
        // a short stall within the limit is fine
        assertThat(Checklist.heartbeat("b", readings(VmState.RUNNING, 1L, 1L, 1L, 2L, 3L)).ok()).isTrue();
    }

    @Test
    void aGuestWithoutHeartbeatIsJudgedByRunStateOnly() {
        Check c = Checklist.heartbeat("b", readings(VmState.RUNNING, null, null, null));
        assertThat(c.ok()).isTrue();
        assertThat(c.detail()).contains("no heartbeat");
    }

    @Test
    void selfChecksFailOnAnyCorruptionReading() {
        List<Checklist.Reading> rs = new ArrayList<>(readings(VmState.RUNNING, 1L, 2L));
        assertThat(Checklist.selfChecks("b", rs).ok()).isTrue();
        rs.add(new Checklist.Reading(3000, VmState.RUNNING, health(3L, false)));
        Check c = Checklist.selfChecks("b", rs);
        assertThat(c.ok()).isFalse();
        assertThat(c.detail()).contains("DISK-CORRUPT");
    }

    @Test
    void nicsMustBeOnTheSpecsNetworkWithTheSpecsMac() {
        List<NicSpec> spec = List.of(new NicSpec(NicModel.VIRTIO, "user", "52:54:00:00:00:01"),
                new NicSpec(NicModel.VIRTIO, "lan", "52:54:00:00:00:02"));
        List<NicBinding> good = List.of(new NicBinding(0, "52:54:00:00:00:01", "net0", "user", List.of("user")),
                new NicBinding(1, "52:54:00:00:00:02", "net1", "bridge br=br0", List.of("lan")));
        assertThat(Checklist.nics("b", spec, good).ok()).isTrue();
        List<NicBinding> wrongNet = List.of(good.get(0), new NicBinding(1, "52:54:00:00:00:02", "net1", "user", List.of("user")));
        Check c = Checklist.nics("b", spec, wrongNet);
        assertThat(c.ok()).isFalse();
        assertThat(c.detail()).contains("spec 'lan' MISMATCH");
        List<NicBinding> wrongMac = List.of(new NicBinding(0, "52:54:00:00:00:09", "net0", "user", List.of("user")), good.get(1));
        assertThat(Checklist.nics("b", spec, wrongMac).ok()).isFalse();
        assertThat(Checklist.nics("b", spec, good.subList(0, 1)).detail()).contains("nic1: not found");
    }

    static PerfSample sample(long at, long vcpuMs, Long beat, Long passes) {
        return new PerfSample("vm", at, vcpuMs, 1, "running", beat, passes, null);
    }

    @Test
    void performanceComparesTheGuestsOwnWorkRate() {
        PerfSample b0 = sample(0, 0, 0L, 0L);
        PerfSample b1 = sample(1000, 900, 5L, 40L);
        Check same = Checklist.performance(b0, b1, sample(5000, 100, 50L, 100L), sample(7000, 1900, 60L, 180L));
        assertThat(same.ok()).isTrue();
        assertThat(same.detail()).contains("memory passes/s 40.00 before, 40.00 after (100%");
        Check slow = Checklist.performance(b0, b1, sample(5000, 0, 50L, 100L), sample(7000, 100, 51L, 110L));
        assertThat(slow.ok()).isFalse();
        assertThat(slow.detail()).contains("5.00 after (13%");
        // without memory passes on one side the heartbeat is compared
        Check beats = Checklist.performance(b0, b1, sample(5000, 0, 50L, null), sample(7000, 100, 60L, null));
        assertThat(beats.detail()).startsWith("heartbeats/s 5.00 before, 5.00 after");
        assertThat(beats.ok()).isTrue();
    }

    @Test
    void aBaselineWithoutAFinishedMemoryPassFallsBackToTheHeartbeat() {
        PerfSample b0 = sample(0, 0, 0L, 3L);
        PerfSample b1 = sample(1000, 900, 5L, 3L);
        Check c = Checklist.performance(b0, b1, sample(5000, 0, 50L, 4L), sample(7000, 10, 50L, 4L));
        assertThat(c.detail()).startsWith("heartbeats/s 5.00 before, 0.00 after");
        assertThat(c.ok()).isFalse();
    }

    @Test
    void performanceWithoutSamples() {
        assertThat(Checklist.performance(null, null, sample(0, 0, 1L, null), sample(1000, 10, 6L, null)).ok()).isTrue();
        assertThat(Checklist.performance(sample(0, 0, 1L, null), sample(1000, 10, 6L, null), null, null).ok()).isFalse();
    }

    @Test
    void disksListWhatEachPhaseEstablished() {
        Check c = Checklist.disks(List.of(new Checklist.DiskEvidence("vda", true, "copied; sha256 ab"),
                new Checklist.DiskEvidence("vdb", false, "mirrored, but the mirror was not completed")));
        assertThat(c.ok()).isFalse();
        assertThat(c.detail()).isEqualTo("vda: copied; sha256 ab; vdb: mirrored, but the mirror was not completed");
        assertThat(Checklist.disks(List.of()).ok()).isTrue();
    }
}

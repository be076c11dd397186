package dev.ferry.controller.migration;

import static dev.ferry.controller.migration.HandBack.Decision.KEEP_DESTINATION;
import static dev.ferry.controller.migration.HandBack.Decision.LEAVE_TO_OPERATOR;
import static dev.ferry.controller.migration.HandBack.Decision.RESUME_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.vm.VmState;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandBackTest {
    private static final List<String> NONE = List.of();
    private static final List<String> SHARED = List.of("data");

    @Test
    void aPausedSourceWithOnlyItsOwnDisksTakesTheGuestBack() {
        for (VmState dest : new VmState[] {VmState.RUNNING, VmState.PAUSED, VmState.CRASHED, null}) {
            assertThat(HandBack.decide(VmState.MIGRATED, dest, false, NONE).decision()).as("dest " + dest).isEqualTo(RESUME_SOURCE);
        }
    }

    @Test
    void withASharedDiskTheDestinationKeepsTheGuestItAlreadyRuns() {
        HandBack.Verdict v = HandBack.decide(VmState.MIGRATED, VmState.RUNNING, false, SHARED);
        assertThat(v.decision()).isEqualTo(KEEP_DESTINATION);
        assertThat(v.reason()).contains("shared disk data").contains("would corrupt");
    }

    @Test
    void withASharedDiskAndNoRunningDestinationNothingIsResumed() {
        for (VmState dest : new VmState[] {VmState.PAUSED, VmState.CRASHED, VmState.SHUTOFF, null}) {
            HandBack.Verdict v = HandBack.decide(VmState.MIGRATED, dest, false, List.of("root", "data"));
            assertThat(v.decision()).as("dest " + dest).isEqualTo(LEAVE_TO_OPERATOR);
            assertThat(v.reason()).contains("shared disks root, data").contains("start the guest anew");
        }
    }

    @Test
    void afterPostcopyOnlyTheDestinationCanHoldTheGuest() {
        assertThat(HandBack.decide(VmState.MIGRATED, VmState.RUNNING, true, NONE).decision()).isEqualTo(KEEP_DESTINATION);
        assertThat(HandBack.decide(VmState.MIGRATED, VmState.CRASHED, true, NONE).decision()).isEqualTo(LEAVE_TO_OPERATOR);
    }

    @Test
    void aSourceThatIsNotPausedAfterTheMigrationIsNeverResumed() {
        for (VmState src : new VmState[] {VmState.RUNNING, VmState.SHUTOFF, VmState.CRASHED, null}) {
            assertThat(HandBack.decide(src, VmState.RUNNING, false, NONE).decision()).as("src " + src).isEqualTo(KEEP_DESTINATION);
            assertThat(HandBack.decide(src, null, false, NONE).decision()).as("src " + src).isEqualTo(LEAVE_TO_OPERATOR);
        }
    }
}

package dev.ferry.controller.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.MigrationRequest;
import org.junit.jupiter.api.Test;

class MigrationBackTest {
    @Test
    void theWayBackKeepsModeAndLimitsButTakesNoBackupAndNeverRollsBackItself() {
        MigrationRequest there = new MigrationRequest("web", "b", 50, 20, null, "cold", null, null, 300, true, null, true, 5, true);
        MigrationRequest back = MigrationBack.request(there, "a");
        assertThat(back.vm()).isEqualTo("web");
        assertThat(back.to()).isEqualTo("a");
        assertThat(back.modeOrDefault()).isEqualTo("cold");
        assertThat(back.maxDowntimeMs()).isEqualTo(50);
        assertThat(back.bandwidthMiBps()).isEqualTo(20);
        assertThat(back.maxDurationSeconds()).isEqualTo(300);
        assertThat(back.monitorSeconds()).isEqualTo(5);
        assertThat(back.wantsBackup()).isFalse();
        assertThat(back.rollsBackOnFailedCheck()).isFalse();
        assertThat(back.keepsSource()).isFalse();
    }

    @Test
    void aRequestWithoutModeGoesBackLive() {
        MigrationRequest there = new MigrationRequest("web", "b", null, null, null);
        assertThat(MigrationBack.request(there, "a").mode()).isEqualTo("live");
    }
}

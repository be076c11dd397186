package dev.ferry.controller.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.safety.Check;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
    static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    static MigrationEvent ev(int s, String kind, String msg) { return new MigrationEvent(T.plusSeconds(s), kind, msg); }

    static MigrationView job(String state, String code, String message, List<Check> checks) {
        MigrationResult r = new MigrationResult(4200, 12L, 80L, 64L << 20, 3, 10L, 30L, "live", "precopy", null, 4000L, 10L, null, 0, checks);
        List<MigrationEvent> events = List.of(ev(0, "phase", "validate"), ev(0, "info", "VM locked"), ev(0, "assessment", "movable: 0 blockers, 1 warning"),
                ev(1, "phase", "plan"),
                ev(2, "plan", "strategy precopy: predicted 4.0 s, downtime 10 ms"), ev(3, "phase", "backup"),
                ev(3, "backup", "point-in-time copy of 1 disk(s)"), ev(4, "phase", "transfer"), ev(6, "escalate", "raised the downtime limit"),
                ev(8, "phase", "monitor"), ev(9, "warning", "guest slow"));
        return new MigrationView("j1", "web", "a", "b", "live", state, "monitor", null, r, code, message, T, T.plusSeconds(10), events);
    }

    @Test
    void aSucceededJobReadsTopToBottom() {
        List<Check> checks = List.of(Check.pass("running-on-destination", "running on b at all 20 readings"),
                Check.pass("performance", "memory passes/s 40 before | 39 after"));
        MigrationRequest req = new MigrationRequest("web", "b", 50, null, null, "live", null, null, null, null, null, true, 10, true);
        BackupView backup = new BackupView("web-backup-1", "j1", "web", "a", T.plusSeconds(3), "retained",
                List.of(new BackupView.BackupImage("vda", "/pool/web-backup-1-vda.img", "raw")), T.plusSeconds(86400), "post-migration checks passed");
        String md = ReportRenderer.render(job("succeeded", null, null, checks), req, backup);
        assertThat(md).startsWith("# Migration j1\n");
        assertThat(md).contains("**Succeeded**: the VM runs on b; all 2 post-migration checks passed.");
        assertThat(md).contains("| max downtime | 50 ms |").contains("| backup | true |").contains("| monitor | 10 s |")
                .contains("| roll back on a failed check | true |");
        assertThat(md).contains("**plan**: strategy precopy: predicted 4.0 s");
        assertThat(md).contains("## Checked and predicted before the move\n\n- 2030-01-01T00:00:00Z **assessment**: movable: 0 blockers");
        assertThat(md).contains("**escalate**: raised the downtime limit");
        assertThat(md).contains("| validate | 2030-01-01T00:00:00Z | 1000 ms |").contains("| monitor | 2030-01-01T00:00:08Z | 2000 ms |");
        assertThat(md).contains("| total time | 4200 ms (predicted 4000 ms) |").contains("| downtime (QEMU) | 12 ms (predicted 10 ms) |");
        assertThat(md).contains("| performance | yes | memory passes/s 40 before \\| 39 after |");
        assertThat(md).contains("Backup web-backup-1 on a, taken 2030-01-01T00:00:03Z: **retained**, kept until 2030-01-02T00:00:00Z")
                .contains("- vda: `/pool/web-backup-1-vda.img`").contains("loses every change since 2030-01-01T00:00:03Z");
        assertThat(md).contains("**warning**: guest slow");
        assertThat(md).contains("## Changed on the way\n\n- 2030-01-01T00:00:06Z **escalate**: raised the downtime limit\n");
        assertThat(md).contains("**backup**: point-in-time copy of 1 disk(s)");
        assertThat(md.indexOf("## Verdict")).isLessThan(md.indexOf("## Request"));
        assertThat(md.indexOf("## Phases")).isLessThan(md.indexOf("## Post-migration checks"));
    }

    @Test
    void aFailedCheckIsTheVerdictAndIsMarked() {
        List<Check> checks = List.of(Check.pass("running-on-destination", "running"), Check.fail("heartbeat-advancing", "stalled 5.0 s"));
        String md = ReportRenderer.render(job("failed", "VERIFICATION_FAILED", "post-migration check(s) failed on b", checks), null, null);
        assertThat(md).contains("**FAILED** (VERIFICATION_FAILED): post-migration check(s) failed on b The VM stays where it runs.");
        assertThat(md).contains("| heartbeat-advancing | **NO** | stalled 5.0 s |");
        assertThat(md).contains("No backup was taken.");
        assertThat(md).contains("## Request\n\n(not recorded)");
    }
}

package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.store.BackupRecord;
import dev.ferry.controller.store.Database;
import dev.ferry.controller.store.DatabaseConfig;
import dev.ferry.controller.store.MigrationRecord;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The migration-safety subcommands against a real controller and agent, without booting a guest:
 * bad input is refused with the catalogue's codes, {@code rollback --to-backup} says exactly what is
 * lost and does nothing without {@code --yes}, and {@code report} prints the job's Markdown. The
 * finished migration and its backup are written straight into the controller's database (the
 * QEMU tests in ferry-controller make real ones).
 */
@Timeout(120)
class MigrationSafetyCommandTest {
    TestAgent agent;
    FerryController controller;
    Path state;

    @BeforeEach
    void setUp() {
        agent = TestAgent.start();
        state = OneHostController.stateDir(agent);
        controller = FerryController.start(OneHostController.config(agent));
    }

    @AfterEach
    void tearDown() {
        if (controller != null) controller.close();
        if (agent != null) agent.close();
    }

    String[] args(String... verb) { return OneHostController.args(controller, agent, verb); }

    @Test
    void badInputIsRefusedWithItsCode() {
        Cli.run(args("migration", "rollback", "no-such-job")).assertError(ExitCodes.NOT_FOUND, "MIGRATION_NOT_FOUND");
        Cli.run(args("migration", "report", "no-such-job")).assertError(ExitCodes.NOT_FOUND, "MIGRATION_NOT_FOUND");
        Cli.run(args("migration", "test", "ghost", "--to", "host-1")).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");
        Cli.run(args("migration", "start", "ghost", "--to", "host-1", "--monitor", "-1")).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
    }

    @Test
    void aRollbackToTheBackupSaysWhatIsLostAndNeedsYes() {
        Instant taken = Instant.parse("2030-05-06T07:08:09Z");
        try (Database db = Database.open(DatabaseConfig.sqlite(state.resolve("ferry.db")))) {
            db.migrations().create(new MigrationRecord("m1", "web", "host-0", "host-1", "live", "running", "monitor",
                    "{\"vm\":\"web\",\"to\":\"host-1\",\"mode\":\"live\",\"backup\":true}", null, null, null, null, false, taken, taken, null));
            db.migrations().finish("m1", "succeeded", null, null, null);
            db.backups().create(new BackupRecord("web-backup-m1", "m1", "web", "host-0", taken, BackupRecord.RETAINED,
                    "[{\"diskId\":\"data\",\"path\":\"/pool/web-backup-m1-data.img\",\"format\":\"raw\"}]", "{\"name\":\"web\"}",
                    taken.plusSeconds(86400), "post-migration checks passed", null));
        }

        Cli.Result refused = Cli.run(args("migration", "rollback", "m1", "--to-backup")).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
        assertThat(refused.err()).contains("loses every change since 2030-05-06T07:08:09Z").contains("--yes");
        assertThat(Cli.run(args("migration", "list")).assertOk().out()).doesNotContain("restore");

        // Confirmed, the controller checks where the VM is before changing anything: it is on no host here.
        Cli.run(args("migration", "rollback", "m1", "--to-backup", "--yes")).assertError(ExitCodes.NOT_FOUND, "VM_NOT_FOUND");

        Cli.Result report = Cli.run(args("migration", "report", "m1")).assertOk();
        assertThat(report.out()).startsWith("# Migration m1").contains("**Succeeded**")
                .contains("Backup web-backup-m1 on host-0, taken 2030-05-06T07:08:09Z: **retained**")
                .contains("- data: `/pool/web-backup-m1-data.img`");
    }
}

package dev.ferry.cli;

import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.SafetyClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.safety.BackupView;
import dev.ferry.api.safety.RollbackRequest;
import dev.ferry.api.safety.TestMigrationRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry migration test|rollback|report}: the migration-safety subcommands. */
final class MigrationSafetyCommands {
    private MigrationSafetyCommands() {}

    @Command(name = "test", description = {
            "Test a migration without moving the VM: a point-in-time clone (own name, uuid and MACs) is booted on the"
                    + " destination with every NIC on the isolated network (a QEMU hub with no other port), verified"
                    + " (heartbeat, self-checks) and removed again from both hosts. The VM keeps running; its disks are only read."})
    static final class Test implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Mixin
        MoveTargetOptions target;

        @Option(names = "--watch", description = "follow the test until it ends")
        boolean watch;

        @Override
        public Integer call() {
            ControllerClient c = HostCommand.controller(client);
            MigrationView v = SafetyClient.of(c).startTest(new TestMigrationRequest(target.vm, target.to));
            if (watch) return ProgressView.follow(c, v.id(), client.json());
            Output.print(client.json(), v, () -> System.out.println("test migration " + v.id() + " started: a clone of " + v.vm() + " on "
                    + v.destination()));
            return 0;
        }
    }

    @Command(name = "rollback", description = {
            "Bring a migrated VM back to its source. Default: migrate it back (a new migration in the reverse direction,"
                    + " same mode; nothing is lost).",
            "--to-backup: stop it on the destination and start it on its source from the backup taken before the migration"
                    + " (--backup); every change since the backup's time is lost, so --yes is required."})
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--to-backup", description = "restore the pre-migration backup instead of migrating back (loses data)")
        boolean toBackup;

        @Option(names = "--yes", description = "confirm that every change since the backup is lost (--to-backup)")
        boolean yes;

        @Option(names = "--watch", description = "follow the rollback until it ends")
        boolean watch;

        @Override
        public Integer call() {
            ControllerClient c = HostCommand.controller(client);
            SafetyClient safety = SafetyClient.of(c);
            String loss = null;
            if (toBackup) {
                BackupView b = safety.backup(id);
                loss = "restoring backup " + b.id() + " of VM '" + b.vm() + "' on " + b.host() + " loses every change since "
                        + b.takenAt() + ": whatever the VM wrote to its disks after that, and its running state (it boots from the backup)";
                if (!yes) throw new FerryException(ErrorCode.INVALID_ARGUMENT, loss + "; pass --yes to go ahead");
            }
            MigrationView v = safety.rollback(id, new RollbackRequest(toBackup ? Boolean.TRUE : null, yes ? Boolean.TRUE : null));
            if (loss != null && !client.json()) System.out.println(loss + ".");
            if (watch) return ProgressView.follow(c, v.id(), client.json());
            Output.print(client.json(), v, () -> System.out.println((toBackup ? "restore " : "migration back ") + v.id() + " started: "
                    + v.vm() + " " + v.source() + " -> " + v.destination()));
            return 0;
        }
    }

    @Command(name = "report", description = "Print a migration's report (Markdown): request, checks, plan, phases, results,"
            + " post-migration checklist, backup, verdict.")
    static final class Report implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            System.out.print(SafetyClient.of(HostCommand.controller(client)).report(id));
            return 0;
        }
    }
}

package dev.ferry.cli;

import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.StorageOptions;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.migration.MigrationView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry migration ...}: start, follow, inspect and abort migrations. */
@Command(name = "migration", description = "Start, watch, list, show and abort migrations.",
        subcommands = {MigrationCommand.Start.class, MigrationCommand.ListJobs.class, MigrationCommand.Show.class,
                MigrationCommand.Abort.class, MigrationCommand.Watch.class, MigrationSafetyCommands.Test.class,
                MigrationSafetyCommands.Rollback.class, MigrationSafetyCommands.Report.class})
final class MigrationCommand {

    @Command(name = "start", description = {
            "Move a VM to another host (streams are TLS-encrypted).",
            "Modes: live (default; adaptive: the guest's dirty rate and the link are measured, the cheapest strategy"
                    + " that meets --max-downtime/--max-duration is chosen, or the migration is refused with the reason),"
                    + " warm (pause, send the whole state in one pass, resume there; downtime = state size / bandwidth),"
                    + " cold (shut down, copy the disks verified end to end, start there).",
            "WARNING: with --allow-postcopy the guest may be switched to post-copy: it then runs on the destination while"
                    + " part of its memory is still on the source, and a failure of either host during post-copy loses the VM."})
    static final class Start implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Mixin
        MoveTargetOptions target;

        @Option(names = "--max-downtime", description = "longest pause the guest may see, in ms (default 300)")
        Integer maxDowntime;

        @Option(names = "--bandwidth", description = "cap on the migration stream, MiB/s (default: none)")
        Integer bandwidth;

        @Option(names = "--insecure", description = "send guest memory in plaintext instead of TLS")
        boolean insecure;

        @Option(names = "--watch", description = "follow the migration until it ends")
        boolean watch;

        @Option(names = "--mode", defaultValue = "live", description = "live, warm or cold (default: ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--allow-postcopy", description = "live: Ferry may switch to post-copy when pre-copy cannot converge."
                + " A failure of either host during post-copy loses the VM")
        boolean allowPostcopy;

        @Option(names = "--allow-throttle", description = "live: Ferry may slow the guest's vCPUs (auto-converge) to converge")
        boolean allowThrottle;

        @Option(names = "--max-duration", paramLabel = "S", description = "longest the transfer may take, in seconds (default: no limit)")
        Integer maxDuration;

        @Option(names = "--keep-source", description = "cold: keep the source's disk images after a successful move")
        boolean keepSource;

        @Option(names = "--target-pool", description = "destination pool for disks not on shared storage"
                + " (default: the destination pool with the most free space)")
        String targetPool;

        @Option(names = "--disk-format", description = "raw or qcow2 for the copies of such disks (default: keep each disk's)")
        String diskFormat;

        @Option(names = "--keep-source-disks", description = "keep the source images of copied disks after a successful migration")
        boolean keepSourceDisks;

        @Option(names = "--backup", description = "take a point-in-time copy of the VM's disks before anything moves, kept on the"
                + " source until the post-migration checks pass and then for the controller's retention ('rollback --to-backup')")
        boolean backup;

        @Option(names = "--monitor", paramLabel = "S", description = "watch the guest for S seconds after the switchover"
                + " (default: the controller's, 10 s)")
        Integer monitor;

        @Option(names = "--rollback-on-failed-check", description = "migrate the VM back to its source when a post-migration check fails")
        boolean rollbackOnFailedCheck;

        /** Storage options, or null when none was given (the defaults apply). */
        StorageOptions storage() {
            if (targetPool == null && diskFormat == null && !keepSourceDisks) return null;
            return new StorageOptions(targetPool, diskFormat == null ? null : DiskFormat.parse(diskFormat), keepSourceDisks ? true : null);
        }

        @Override
        public Integer call() {
            boolean json = client.json();
            ControllerClient c = HostCommand.controller(client);
            MigrationView v = c.startMigration(new MigrationRequest(target.vm, target.to, maxDowntime, bandwidth, insecure ? Boolean.TRUE : null,
                    mode, allowPostcopy ? Boolean.TRUE : null, allowThrottle ? Boolean.TRUE : null, maxDuration,
                    keepSource ? Boolean.TRUE : null, storage(), backup ? Boolean.TRUE : null, monitor,
                    rollbackOnFailedCheck ? Boolean.TRUE : null));
            if (!watch) {
                if (json) Output.json(System.out, v);
                else System.out.println(v.mode() + " migration " + v.id() + " started: " + v.vm() + " " + v.source() + " -> " + v.destination());
                return 0;
            }
            return ProgressView.follow(c, v.id(), json);
        }
    }

    @Command(name = "watch", description = "Follow a migration: a progress bar on a terminal, JSON lines otherwise.")
    static final class Watch implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return ProgressView.follow(HostCommand.controller(client), id, client.json());
        }
    }

    @Command(name = "list", description = "List recent migrations.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            List<MigrationView> all = HostCommand.controller(client).migrations();
            if (client.json()) {
                Output.json(System.out, all);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "VM", "FROM", "TO", "MODE", "STATE", "PHASE", "CREATED"));
            for (MigrationView m : all) {
                rows.add(List.of(m.id(), m.vm(), m.source(), m.destination(), String.valueOf(m.mode()), m.state(), String.valueOf(m.phase()),
                        String.valueOf(m.createdAt())));
            }
            Output.table(System.out, rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one migration with its history.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            MigrationView m = HostCommand.controller(client).migration(id);
            if (client.json()) Output.json(System.out, m);
            else ProgressView.summary(System.out, m, true);
            return 0;
        }
    }

    @Command(name = "abort", description = "Abort a running migration; the VM keeps running on its source.")
    static final class Abort implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            MigrationView m = HostCommand.controller(client).abort(id);
            if (client.json()) Output.json(System.out, m);
            else System.out.println("abort requested for " + m.id() + " (" + m.vm() + ", phase " + m.phase() + ")");
            return 0;
        }
    }
}

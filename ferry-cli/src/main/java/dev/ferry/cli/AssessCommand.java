package dev.ferry.cli;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.client.FleetClient;
import dev.ferry.api.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry assess VM --to HOST}: every finding of moving VM to HOST, with its code, severity and
 * reason, as the controller's assessment judges it (the same checks a migration's validation
 * makes). Exits 0 when the VM can move, with ASSESSMENT_BLOCKED's exit code when not.
 */
@Command(name = "assess", description = {"Check whether a VM can move to a host: every blocker, warning and check, with reasons.",
        "Exits 0 when the VM can move, 4 (ASSESSMENT_BLOCKED) when something blocks it."})
final class AssessCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    MoveTargetOptions target;

    @Option(names = "--mode", description = "live, warm or cold (default: live if the VM runs, else cold)")
    String mode;

    @Option(names = "--reprove", description = "prove shared pools again now (write and read a marker file) instead of using a recent proof")
    boolean reprove;

    @Override
    public Integer call() {
        boolean json = client.json();
        Assessment a = FleetClient.of(HostCommand.controller(client)).assess(target.vm, target.to, mode, reprove);
        Output.print(json, a, () -> print(a));
        return a.movable() ? 0 : ErrorCode.ASSESSMENT_BLOCKED.exitCode();
    }

    static void print(Assessment a) {
        System.out.println(a.vm() + ": " + a.source() + " -> " + a.destination() + ": " + (a.movable() ? "movable" : "BLOCKED")
                + " (" + a.blockers().size() + " blocker(s), " + a.warnings().size() + " warning(s))");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SEVERITY", "CODE", "REASON"));
        for (Finding f : a.findings()) rows.add(List.of(f.severity().name(), f.code(), f.message()));
        Output.table(System.out, rows);
    }
}

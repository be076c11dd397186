package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry host evacuate HOST}: put the host in maintenance and move every VM off it with a plan. */
@Command(name = "evacuate", description = "Put HOST in maintenance and move all its VMs to the best hosts (a plan with destination auto).")
final class HostEvacuateCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--dry-run", description = "only print the plan: no maintenance, nothing moves")
    boolean dryRun;

    @Option(names = "--mode", paramLabel = "MODE", description = "live (default), warm or cold")
    String mode;

    @Override
    public Integer call() {
        PlanCommand.print(client, PlanCommand.plans(client).evacuate(host, dryRun, mode));
        return 0;
    }
}

package dev.ferry.cli;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.ExitCodes;
import dev.ferry.cli.lab.Demo;
import dev.ferry.cli.lab.DemoSettings;
import dev.ferry.cli.lab.DemoStop;
import dev.ferry.cli.lab.JavaCommand;
import dev.ferry.cli.lab.LabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry demo}: Ferry's main job, shown end to end on one machine. It builds a lab of two to
 * five hosts (network namespaces as root, else loopback), boots test guests, live-migrates them
 * through the controller with the same progress view as {@code ferry migration start --watch} (or,
 * with {@code --evacuate}, empties host-a through an evacuation plan), verifies them from the
 * guests' own consoles and cleans everything up again. The work is done by
 * {@link dev.ferry.cli.lab}; this class is only its command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a multi-host lab on this machine and live-migrate test VMs between the hosts.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "work directory (default /tmp/ferry-demo-PID; with --stop: the lab to stop)")
    Path dir;

    @Option(names = "--keep", description = "leave the lab running afterwards, to explore it with the CLI")
    boolean keep;

    @Option(names = "--stop", description = "stop a lab left running by --keep (the last one, or --dir)")
    boolean stop;

    @Option(names = "--rounds", description = "migration rounds; each moves every VM to the next host (default 1)")
    Integer rounds;

    @Option(names = "--hosts", defaultValue = "2", description = "hosts in the lab, 2 to 5 (default 2)")
    int hosts;

    @Option(names = "--vms", defaultValue = "1", description = "test VMs, 1 to 8 (default 1: 256 MiB; more: 128 MiB each)")
    int vms;

    @Option(names = "--evacuate", description = "evacuate host-a through the controller's plan instead of migration rounds")
    boolean evacuate;

    @Option(names = "--bandwidth", paramLabel = "MiB/s", description = "cap on the migration stream")
    Integer bandwidth;

    @Option(names = "--max-downtime", paramLabel = "ms", description = "longest pause the guest may see (default 300)")
    Integer maxDowntime;

    @Option(names = "--shape", paramLabel = "1gbit|100mbit", description = "limit each host's migration link with tc (namespace lab only)")
    String shape;

    @Option(names = "--loopback", description = "run both agents on 127.0.0.1 even as root")
    boolean loopback;

    @Override
    public Integer call() {
        DemoSettings s;
        try {
            if (stop) return DemoStop.stop(dir, System.out);
            Path home = home();
            try {
                s = new DemoSettings(home, dir == null ? DemoSettings.defaultDir() : dir, keep, bandwidth, maxDowntime, shape, rounds,
                        loopback, hosts, vms, evacuate);
            } catch (LabException e) {
                System.err.println("error: " + e.getMessage() + " [" + ErrorCode.INVALID_ARGUMENT.name() + "]");
                return ExitCodes.USAGE;
            }
        } catch (LabException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return new Demo(s, (controller, id) -> ProgressView.follow(controller, id, false), System.out).run();
    }

    /** The repository: -Dferry.home (set by the ./ferry launcher), else three levels above the jar. */
    static Path home() {
        String prop = System.getProperty("ferry.home");
        if (prop != null) return Path.of(prop).toAbsolutePath().normalize();
        Path jar = JavaCommand.codeSource();
        if (jar != null && jar.getParent() != null && jar.getParent().getParent() != null) {
            Path guess = jar.getParent().getParent().getParent();
            if (guess != null && Files.exists(guess.resolve("guest").resolve("build.sh"))) return guess;
        }
        throw new LabException("cannot find the Ferry repository (guest/build.sh); run the demo as ./ferry demo");
    }
}

package dev.ferry.cli;

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
 * {@code ferry demo}: Ferry's main job, shown end to end on one machine. It builds a two-host lab
 * (network namespaces as root, else loopback), boots the test guest on host-a, live-migrates it to
 * host-b through the controller with the same progress view as {@code ferry migration start
 * --watch}, verifies it from the guest's own console and cleans everything up again. The work is
 * done by {@link dev.ferry.cli.lab}; this class is only its command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a two-host lab on this machine and live-migrate a test VM between the hosts.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "work directory (default /tmp/ferry-demo-PID; with --stop: the lab to stop)")
    Path dir;

    @Option(names = "--keep", description = "leave the lab running afterwards, to explore it with the CLI")
    boolean keep;

    @Option(names = "--stop", description = "stop a lab left running by --keep (the last one, or --dir)")
    boolean stop;

    @Option(names = "--rounds", defaultValue = "1", description = "migrations, back and forth between the hosts (default 1)")
    int rounds;

    @Option(names = "--bandwidth", paramLabel = "MiB/s", description = "cap on the migration stream")
    Integer bandwidth;

    @Option(names = "--max-downtime", paramLabel = "ms", description = "longest pause the guest may see (default 300)")
    Integer maxDowntime;

    @Option(names = "--shape", paramLabel = "1gbit|100mbit", description = "limit the migration link with tc (namespace lab only)")
    String shape;

    @Option(names = "--loopback", description = "run both agents on 127.0.0.1 even as root")
    boolean loopback;

    @Override
    public Integer call() {
        DemoSettings s;
        try {
            if (stop) return DemoStop.stop(dir, System.out);
            s = new DemoSettings(home(), dir == null ? DemoSettings.defaultDir() : dir, keep, bandwidth, maxDowntime, shape, rounds,
                    loopback);
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

package dev.ferry.bench.evacuation;

import static dev.ferry.bench.live.BenchMachine.load;
import static dev.ferry.bench.live.BenchMachine.machine;
import static dev.ferry.bench.live.BenchMachine.qemuVersion;

import dev.ferry.api.client.FleetClient;
import dev.ferry.api.host.LinkMeasurement;
import dev.ferry.bench.live.BenchLab;
import dev.ferry.cli.lab.ControllerPlanApi;
import dev.ferry.cli.lab.DemoGuest;
import dev.ferry.cli.lab.PlanApi;
import dev.ferry.cli.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host-evacuation benchmark: on a three-host lab with every host's link shaped, boots the
 * guests on host-a, measures the link's goodput and the guests' non-zero memory (the lower bound),
 * evacuates host-a through a plan, then boots fresh guests and makes the same moves one by one, and
 * writes {@code results/results.json} (after every step), {@code results/report.md} and
 * {@code results/chart.png}. Run by {@code bench/evacuation/run.sh}; {@code --report} only redraws
 * the report and chart from the JSON. A benchmark, not a test: it asserts nothing.
 */
public final class EvacuationBench {
    private static final double MIB = 1 << 20;
    private final EvacSettings settings;
    private final long t0 = System.nanoTime();

    private EvacuationBench(EvacSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws IOException {
        Path benchDir = Path.of(args.length > 0 ? args[0] : "bench/evacuation").toAbsolutePath();
        EvacSettings settings = EvacSettings.fromEnv(System.getenv(), benchDir);
        if (args.length > 1 && args[1].equals("--report")) {
            writeReport(BenchRun.read(settings.resultsDir().resolve("results.json")), settings.resultsDir());
            return;
        }
        System.exit(new EvacuationBench(settings).run(benchDir.getParent().getParent()));
    }

    private int run(Path repo) throws IOException {
        say("building the test guest (guest/build.sh)");
        DemoGuest.Boot boot = DemoGuest.build(repo, new Shell(900));
        Files.createDirectories(settings.workDir().getParent());
        Path work = Files.createTempDirectory(settings.workDir().getParent(), settings.workDir().getFileName().toString());
        BenchLab lab = new BenchLab(settings.liveBenchDir(), this::say);
        Thread hook = new Thread(() -> lab.stop(true), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        BenchRun run = new BenchRun(LocalDate.now().toString(), machine(), qemuVersion(), load(), load(), settings.vms(),
                settings.guestMib(), settings.dirtyMiBps(), List.of(), settings.bufferMib(), settings.wssMib());
        boolean failed = true;
        try {
            lab.start(work, EvacSettings.HOSTS);
            PlanApi plans = new ControllerPlanApi(lab.services().controllerClient());
            Fleet fleet = new Fleet(lab, settings, boot, this::say);
            for (String link : settings.links()) run = link(lab, plans, fleet, link, run);
            failed = false;
        } finally {
            List<String> problems = lab.stop(failed);
            Runtime.getRuntime().removeShutdownHook(hook);
            if (!problems.isEmpty()) say("cleanup incomplete: " + problems);
        }
        writeReport(run, settings.resultsDir());
        say("wrote " + settings.resultsDir().resolve("report.md") + " and chart.png");
        return 0;
    }

    private BenchRun link(BenchLab lab, PlanApi plans, Fleet fleet, String link, BenchRun run) {
        Path json = settings.resultsDir().resolve("results.json");
        lab.shape(link);
        long goodput = lab.goodput("host-a", "host-b", EvacSettings.nominalBytesPerSec(link), 3);
        say(String.format(Locale.ROOT, "%s links: goodput host-a -> host-b %.1f MiB/s", link, goodput / MIB));
        String tag = link.equals("1gbit") ? "1g" : "100m";
        List<String> guests = fleet.boot("evac-" + tag + "-");
        long nonZero = fleet.nonZeroBytes(guests);
        LinkResult r = new LinkResult(link, goodput, nonZero, 0, null, null);
        say(String.format(Locale.ROOT, "non-zero guest memory %.1f MiB: lower bound %.1f s", nonZero / MIB, r.lowerBoundMs() / 1000));
        probeLinks(lab);
        say("(a) evacuating host-a through a plan");
        RunResult evac = new EvacuationRun(lab, plans, fleet, settings, this::say).run();
        r = r.withEvacuation(evac);
        say(summary(evac, r.evacuationRatio()));
        run = run.with(r, load());
        run.write(json);
        // the evacuation left host-a in maintenance (its agent refuses new guests): the next run needs it back
        FleetClient.of(lab.services().controllerClient()).maintenance("host-a", false, "evacuation bench: next run");
        fleet.removeAll();
        if (evac.moves().isEmpty() || evac.moves().stream().anyMatch(m -> m.to() == null)) return run; // nothing to repeat
        List<String> serialGuests = fleet.boot("serial-" + tag + "-");
        long serialNonZero = fleet.nonZeroBytes(serialGuests);
        Map<String, String> moves = new LinkedHashMap<>();
        List<String> dest = List.copyOf(EvacuationRun.destinations(evac).values());
        for (int i = 0; i < serialGuests.size(); i++) moves.put(serialGuests.get(i), dest.get(i));
        say("(b) the same moves one by one");
        RunResult serial = new SerialRun(lab, fleet, settings, this::say).run(moves);
        r = r.withSerial(serialNonZero, serial);
        say(summary(serial, r.serialRatio()));
        say(link + ": target evacuation <= " + Target.FACTOR + "x the lower bound: " + Target.verdict(r));
        run = run.with(r, load());
        run.write(json);
        fleet.removeAll();
        return run;
    }

    /**
     * Has the controller measure host-a's links to the other hosts (as {@code ferry host probe}
     * does), so the plan predicts with the shaped link rather than an assumed one.
     */
    private void probeLinks(BenchLab lab) {
        FleetClient fleet = FleetClient.of(lab.services().controllerClient());
        for (String to : List.of("host-b", "host-c")) {
            LinkMeasurement m = fleet.probe("host-a", to);
            say(String.format(Locale.ROOT, "controller's probe host-a -> %s: %.1f MiB/s, rtt %.2f ms", to, m.goodputMiBps(), m.rttMs()));
        }
    }

    private static String summary(RunResult r, Double ratio) {
        return String.format(Locale.ROOT, "%s: %s in %.1f s (%s the lower bound), at most %d moves at once, host-a's link sent %.1f MiB",
                r.kind(), r.state(), r.wallMs() / 1000.0, ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio), r.maxConcurrent(),
                r.wireBytes() / MIB);
    }

    static void writeReport(BenchRun run, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), Report.markdown(run));
        Chart.write(run, dir.resolve("chart.png"));
    }

    private void say(String message) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, message);
    }
}

package dev.ferry.bench.live;

import static dev.ferry.bench.live.BenchMachine.load;
import static dev.ferry.bench.live.BenchMachine.machine;
import static dev.ferry.bench.live.BenchMachine.qemuVersion;

import dev.ferry.cli.lab.DemoGuest;
import dev.ferry.cli.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live-migration benchmark: for every link rate and workload of the matrix, migrates a fresh
 * guest with QEMU's defaults, with a Nova-like fixed policy and with Ferry, records each outcome as
 * it comes ({@code results/results.json}), then writes {@code results/report.md} and
 * {@code results/chart.png}. Run by {@code bench/live-migration/run.sh}; {@code --report} only
 * redraws the report and chart from the JSON. A benchmark, not a test: it asserts nothing.
 */
public final class LiveBench {
    private static final double MIB = 1 << 20;
    private final BenchSettings settings;
    private final long t0 = System.nanoTime();

    private LiveBench(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws IOException {
        Path benchDir = Path.of(args.length > 0 ? args[0] : "bench/live-migration").toAbsolutePath();
        BenchSettings settings = BenchSettings.fromEnv(System.getenv(), benchDir);
        if (args.length > 1 && args[1].equals("--report")) {
            writeReport(ResultsFile.read(settings.resultsDir().resolve("results.json")), settings.resultsDir());
            return;
        }
        System.exit(new LiveBench(settings).run());
    }

    private int run() throws IOException {
        Path repo = settings.benchDir().getParent().getParent();
        say("building the test guest (guest/build.sh)");
        DemoGuest.Boot boot = DemoGuest.build(repo, new Shell(900));
        Files.createDirectories(settings.workDir().getParent());
        Path work = Files.createTempDirectory(settings.workDir().getParent(), settings.workDir().getFileName().toString());
        BenchLab lab = new BenchLab(settings.benchDir(), this::say);
        Thread hook = new Thread(() -> lab.stop(true), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        ResultsFile.BenchRun run = new ResultsFile.BenchRun(LocalDate.now().toString(), machine(), qemuVersion(), settings.maxDowntimeMs(),
                settings.ceilingMs(), load(), load(), List.of(), List.of());
        boolean failed = true;
        try {
            lab.start(work);
            run = matrix(lab, boot, run);
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

    private ResultsFile.BenchRun matrix(BenchLab lab, DemoGuest.Boot boot, ResultsFile.BenchRun run) {
        DirectMigration direct = new DirectMigration(lab, settings, boot);
        FerryMigration ferry = new FerryMigration(lab, settings, boot, this::say);
        Path json = settings.resultsDir().resolve("results.json");
        int n = 0;
        for (String link : settings.links()) {
            lab.shape(link);
            long goodput = lab.goodput(BenchSettings.nominalBytesPerSec(link), 3);
            double mibps = goodput / MIB;
            say(String.format(Locale.ROOT, "link %s: goodput %.1f MiB/s", link, mibps));
            for (Workload w : Workload.matrix()) {
                if (!settings.workloads().contains(w.id())) continue;
                String cell = link + "/" + w.id() + " (" + w.cmdline(mibps).replaceAll(".*ferry.mem", "ferry.mem") + ")";
                List<Outcome> cellRuns = new ArrayList<>();
                for (BaselinePolicy p : List.of(new BaselinePolicy.QemuDefaults(), new NovaLikePolicy(Workload.GUEST_MEMORY_MIB / 1024.0))) {
                    say(cell + ": " + p.name());
                    Outcome o = direct.run("b" + (++n), link, w, mibps, goodput, p);
                    report(o);
                    cellRuns.add(o);
                    run = run.with(o, List.of(), load());
                    ResultsFile.write(json, run);
                }
                say(cell + ": ferry");
                String name = "f" + (++n);
                FerryMigration.Run fr = ferry.run(name, link, w, mibps, goodput);
                Outcome f = fr.outcome().withNonZero(cellRuns.get(0).nonZeroBytes());
                report(f);
                List<String> plan = new ArrayList<>(List.of("== " + link + " / " + w.id()));
                plan.addAll(fr.plan());
                run = run.with(f, plan, load());
                ResultsFile.write(json, run);
            }
        }
        return run;
    }

    private void report(Outcome o) {
        say(String.format(Locale.ROOT, "  %s: %s, total %.1f s (%.2fx limit %.1f s), downtime %s ms, sent %.0f MiB, wire %.0f MiB%s; guest %s",
                o.policy(), o.converged() ? "converged" : "NOT converged (" + o.end() + ")", o.totalMs() / 1000.0, o.ofPhysicalLimit(),
                o.physicalLimitMs() / 1000, o.downtimeMs(), o.transferredBytes() / MIB, o.wireBytes() / MIB,
                o.predictedTotalMs() == null ? "" : String.format(Locale.ROOT, ", predicted %.1f s / %d ms", o.predictedTotalMs() / 1000.0,
                        o.predictedDowntimeMs()), o.guestCheck()));
    }

    static void writeReport(ResultsFile.BenchRun run, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), Report.markdown(run));
        Chart.write(run, dir.resolve("chart.png"));
    }

    private void say(String message) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, message);
    }
}

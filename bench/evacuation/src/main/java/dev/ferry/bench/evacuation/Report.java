package dev.ferry.bench.evacuation;

import java.util.List;
import java.util.Locale;

/**
 * Writes {@code results/report.md} from a {@link BenchRun}: the method, one table per link with the
 * lower bound, the evacuation and the serial run side by side, the target's verdict, and the
 * evacuation's moves with the plan's prediction against the measurement. Pure: run in, text out.
 */
public final class Report {
    private static final double MIB = 1 << 20;

    private Report() {}

    public static String markdown(BenchRun run) {
        StringBuilder md = new StringBuilder();
        md.append("# Host evacuation benchmark: results\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s, %s; load %s at the start, %s at the end.%n%n", run.date(), run.machine(),
                run.qemu(), run.loadAtStart(), run.loadAtEnd()));
        md.append(method(run));
        md.append("![chart](chart.png)\n\n");
        for (LinkResult l : run.links()) md.append(link(l));
        return md.toString();
    }

    private static String method(BenchRun run) {
        return String.format(Locale.ROOT, """
                ## Method

                Three hosts (network namespaces: one agent each, a bridge joining their migration links, each host's link
                shaped with `tc tbf`), the controller in the root namespace. %d guests of %d MiB (Ferry's test guest, TCG,
                memory worker filling a %d MiB buffer at boot and rewriting %s at %d MiB/s, data disk on the shared pool) boot
                on host-a. Then:

                - **lower bound**: the guests' non-zero memory (read from each QEMU's guest-RAM mapping just before the run;
                  zero pages cost QEMU a header only) over the TCP goodput of host-a's link (measured before the runs). Every
                  move leaves host-a, so no method that sends each non-zero page once can beat it.
                - **(a) evacuation**: the controller first measures host-a's links to host-b and host-c (`ferry host
                  probe`, so the plan predicts with them), then one `POST /v1/hosts/host-a/evacuate`: it assesses every
                  guest, picks destinations and runs the plan with the concurrency its limits allow. Wall time from the
                  request to the plan's end. Host-a leaves maintenance again afterwards.
                - **(b) serial**: fresh guests again, the same moves (each guest to the host the plan chose), one
                  `ferry migration start` after another with the CLI's defaults. Wall time from the first request to the
                  last move's end.

                Target: **evacuation <= %.1fx the lower bound**. Each guest's own self-checks (heartbeat without reboot,
                memory and disk workers) are read on the host it ended on.

                """, run.vms(), run.guestMemoryMib(), run.bufferMib(),
                run.wssMib() > 0 ? "its first " + run.wssMib() + " MiB" : "all of it", run.dirtyMiBps(), Target.FACTOR);
    }

    static String link(LinkResult l) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## %s links: goodput %.1f MiB/s%n%n", l.link(), l.goodputBytesPerSec() / MIB));
        md.append("| run | state | wall time | x lower bound | first request answered after | moves at once (max) | data sent (QEMU) | host-a link sent |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| lower bound (%.1f MiB non-zero) | - | %.1f s | 1.00 | - | - | - | - |%n", l.nonZeroBytes() / MIB,
                l.lowerBoundMs() / 1000));
        if (l.evacuation() != null) md.append(row(l.evacuation(), l.evacuationRatio()));
        if (l.serial() != null) md.append(row(l.serial(), l.serialRatio()));
        md.append("\n**Target** evacuation <= ").append(Target.FACTOR).append("x the lower bound: **").append(Target.verdict(l)).append("**");
        if (l.serial() != null && l.serial().succeeded() && l.evacuation() != null && l.evacuation().succeeded()) {
            md.append(String.format(Locale.ROOT, "; the serial run took %.2fx the evacuation's time", l.serial().wallMs() / (double) l.evacuation().wallMs()));
        }
        md.append(".\n\n");
        if (l.evacuation() != null) md.append(moves("Evacuation moves (plan " + l.evacuation().planId() + ")", l.evacuation().moves()));
        if (l.serial() != null) md.append(moves("Serial moves", l.serial().moves()));
        return md.toString();
    }

    private static String row(RunResult r, Double ratio) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f s | %s | %.1f s | %d | %.1f MiB | %.1f MiB |%n", r.kind(), r.state(),
                r.wallMs() / 1000.0, ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio), r.requestMs() / 1000.0, r.maxConcurrent(), sentBytes(r.moves()) / MIB, r.wireBytes() / MIB);
    }

    static String moves(String title, List<Move> moves) {
        StringBuilder md = new StringBuilder("### " + title + "\n\n");
        md.append("Job time: from the move first seen running to its end, on the bench's clock (the migration job's\n"
                + "measuring, probing and verifying included); total: QEMU's own migration time.\n\n");
        md.append("| vm | route | state | job time | total predicted | total measured | downtime predicted | downtime measured | bytes predicted | bytes measured | guest |\n");
        md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Move m : moves) {
            md.append(String.format(Locale.ROOT, "| %s | %s -> %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", m.vm(), m.from(), m.to(), m.state(),
                    ms(m.endMs() - m.startMs()), ms(m.predictedTotalMs()), ms(m.totalMs()), ms(m.predictedDowntimeMs()), ms(m.downtimeMs()), mib(m.predictedBytes()),
                    mib(m.bytes()), m.guestCheck()));
        }
        return md.append("\n").toString();
    }

    static long sentBytes(List<Move> moves) { return moves.stream().mapToLong(m -> m.bytes() == null ? 0 : m.bytes()).sum(); }

    private static String ms(Long v) { return v == null ? "-" : v + " ms"; }

    private static String mib(Long v) { return v == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", v / MIB); }
}

package dev.ferry.cli.lab;

import dev.ferry.api.migration.MigrationResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's closing words: one table row per migration round with the numbers a reader of the
 * README cares about (total time, QEMU's downtime, the guest's own heartbeat gap, bytes sent,
 * passes, and the guest's verdict on the destination), then the commands to explore the lab with
 * the CLI config the demo wrote.
 */
public final class DemoReport {
    private DemoReport() {}

    /** One row per migration; a VM column only when the demo moved more than the one classic guest. */
    public static List<List<String>> rows(List<MigrationRound.Result> rounds) {
        boolean named = rounds.stream().anyMatch(r -> !r.vm().equals(DemoGuest.VM));
        List<List<String>> rows = new ArrayList<>();
        rows.add(withVm(named, "VM", List.of("ROUND", "ROUTE", "TOTAL", "DOWNTIME (QEMU)", "HEARTBEAT GAP", "TRANSFERRED", "ITERATIONS",
                "GUEST ON DESTINATION")));
        for (MigrationRound.Result r : rounds) {
            MigrationResult m = r.result();
            rows.add(withVm(named, r.vm(), List.of(String.valueOf(r.round()), r.from() + " -> " + r.to(),
                    m == null ? "-" : m.totalTimeMs() + " ms", m == null ? "-" : ms(m.downtimeMs()),
                    m == null ? "-" : ms(m.heartbeatGapMs()), m == null ? "-" : String.format("%.1f MiB", m.transferredBytes() / 1048576.0),
                    m == null ? "-" : String.valueOf(m.iterations()), "intact, memory worker: no corruption")));
        }
        return rows;
    }

    private static List<String> withVm(boolean named, String vm, List<String> row) {
        if (!named) return row;
        List<String> r = new ArrayList<>(row);
        r.add(1, vm);
        return r;
    }

    /** Prints rows as columns padded to their widest cell (the last column is not padded). */
    public static void table(PrintStream out, List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r.get(i).length());
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) line.append(i == cols - 1 ? r.get(i) : String.format("%-" + width[i] + "s  ", r.get(i)));
            out.println(line.toString().stripTrailing());
        }
    }

    /** Commands that work against the lab as long as it runs ({@code --keep}). */
    public static List<String> exploreCommands(String ferry, LabLayout layout, String vmHost, String otherHost, String agentUrl,
                                               String lastMigration) {
        return exploreCommands(ferry, layout, DemoGuest.VM, vmHost, otherHost, agentUrl, lastMigration);
    }

    public static List<String> exploreCommands(String ferry, LabLayout layout, String vm, String vmHost, String otherHost,
                                               String agentUrl, String lastMigration) {
        String cfg = " --config " + layout.cliConfig();
        return List.of(
                ferry + " host list" + cfg,
                ferry + " vm list" + cfg,
                ferry + " migration list" + cfg,
                ferry + " migration show " + lastMigration + cfg,
                ferry + " migration start " + vm + " --to " + otherHost + " --watch" + cfg,
                ferry + " vm show " + vm + " --agent " + agentUrl + " --tls-dir " + layout.clientIdentity(),
                "tail -f " + layout.serialLog(vmHost, vm));
    }

    /** {@code ./ferry} when run from the repository, else the launcher's absolute path. */
    public static String ferryCommand(Path home) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return cwd.equals(home.toAbsolutePath().normalize()) ? "./ferry" : home.resolve("ferry").toString();
    }

    private static String ms(Long v) { return v == null ? "-" : v + " ms"; }
}

package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.migration.MigrationResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {
    @Test
    void summaryHasOneAlignedRowPerRound() {
        List<MigrationRound.Result> rounds = List.of(
                new MigrationRound.Result(1, "host-a", "host-b", "m1", new MigrationResult(1302, 220L, 310L, 163_100_000L, 3, 38L, 46L), List.of()),
                new MigrationRound.Result(2, "host-b", "host-a", "m2", new MigrationResult(998, null, null, 120_000_000L, 2, null, null), List.of()));
        List<List<String>> rows = DemoReport.rows(rounds);
        assertThat(rows.get(1)).containsExactly("1", "host-a -> host-b", "1302 ms", "220 ms", "310 ms", "155.5 MiB", "3",
                "intact, memory worker: no corruption");
        assertThat(rows.get(2)).contains("-", "114.4 MiB");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DemoReport.table(new PrintStream(buf, true), rows);
        List<String> lines = buf.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).indexOf("host-a -> host-b")).isEqualTo(lines.get(0).indexOf("ROUTE"));
    }

    @Test
    void exploreCommandsUseTheLabsCliConfig() {
        LabLayout layout = new LabLayout(Path.of("/tmp/ferry-demo-1"));
        List<String> cmds = DemoReport.exploreCommands("./ferry", layout, "host-b", "host-a", "https://10.213.2.2:7001", "m1");
        assertThat(cmds).contains("./ferry vm list --config /tmp/ferry-demo-1/cli.yaml",
                "./ferry migration start demo --to host-a --watch --config /tmp/ferry-demo-1/cli.yaml",
                "./ferry migration show m1 --config /tmp/ferry-demo-1/cli.yaml",
                "./ferry vm show demo --agent https://10.213.2.2:7001 --tls-dir /tmp/ferry-demo-1/pki/demo-client",
                "tail -f /tmp/ferry-demo-1/hosts/host-b/state/vms/demo/serial.log");
    }
}

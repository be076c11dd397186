package dev.ferry.bench.evacuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void aRunReadBackFromItsJsonRedrawsTheSameReportAndAChart() throws Exception {
        Move m = new Move("e1", "host-a", "host-b", "succeeded", 0, 2500, 2400L, 90L, 70L << 20, 2000L, 150L, 64L << 20, "self-checks OK");
        RunResult evac = new RunResult("evacuation", "succeeded", 2600, 700, 80L << 20, "p-1", 2100L, List.of(m), 1);
        LinkResult l = new LinkResult("1gbit", 110L << 20, 66L << 20, 0, null, null).withEvacuation(evac);
        BenchRun run = new BenchRun("2026-12-04", "2 cores", "QEMU 10.0.2", "1.0", "1.2", 1, 128, 4, List.of())
                .with(l, "1.3").with(l, "1.4");
        assertThat(run.links()).hasSize(1);
        Path json = tmp.resolve("results.json");
        run.write(json);
        BenchRun back = BenchRun.read(json);
        assertThat(back).isEqualTo(run);
        EvacuationBench.writeReport(back, tmp);
        assertThat(Files.readString(tmp.resolve("report.md"))).isEqualTo(Report.markdown(run));
        assertThat(ImageIO.read(tmp.resolve("chart.png").toFile()).getWidth()).isGreaterThan(1000);
    }
}

package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.plan.report.PlanReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanReportTest {
    @TempDir
    Path dir;

    @Test
    void theReportPutsPredictedNextToMeasuredListsWhatWasCheckedAndDrawsAChart() throws Exception {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        Assessment a = new Assessment("web-1", "h1", "h2", t, List.of(Finding.info(FindingCode.MEMORY, "h2 has 900 MiB free")));
        PlanView plan = new PlanView("p-1", "rack-7", "succeeded", "stop", t, t, t.plusSeconds(20), 15_000L, List.of(
                new PlanItemView("web-1", "h1", "h2", 1, "live", "succeeded", "job-1", new PlanItemView.Figures(4_000L, 30L, 1L << 27),
                        new PlanItemView.Figures(5_500L, 41L, 3L << 26), null, a, null, "live precopy: memory 128 MiB"),
                new PlanItemView("db-1", "h1", "h3", 2, "warm", "skipped", null, new PlanItemView.Figures(2_000L, 2_000L, 1L << 27),
                        null, "not started: window", null, null, null)), List.of(), null);
        List<Path> files = PlanReport.of(plan).write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| web-1 | 1 | h1 | h2 | live | succeeded | 4.0 s | 5.5 s | 30 ms | 41 ms | 128 | 192 | `job-1` |");
        assertThat(md).contains("INFO MEMORY: h2 has 900 MiB free").contains("Prediction basis: live precopy").contains("not started: window");
        assertThat(md).contains("predicted total (ETA): 15.0 s").contains("measured total: 20.0 s");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<td>web-1</td>").contains("job-1");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("chart.png"))));
        assertThat(png.getWidth()).isGreaterThan(500);
        assertThat(files).hasSize(3);
    }
}

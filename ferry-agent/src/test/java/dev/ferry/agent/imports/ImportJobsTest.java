package dev.ferry.agent.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.state.StateFiles;
import dev.ferry.imports.api.JobView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job list as a restarted agent reads it from the state dir: finished jobs as they ended, a
 * job left running as interrupted with AGENT_RESTARTED, its leftovers handed to the salvage once.
 */
class ImportJobsTest {
    @Test
    void aRunningJobOfThePreviousAgentIsInterruptedAndFinishedOnesAreKept(@TempDir Path dir) throws Exception {
        StateFiles<JobRecord> files = new StateFiles<>(dir, JobRecord.class);
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        files.save("j1", new JobRecord(new JobView("j1", "export", "vm", "running", "convert data (1/1)", 10, 100, null, null, null,
                t, null), List.of("/pool/x.ova.partial")));
        files.save("j2", new JobRecord(new JobView("j2", "import", "vm2", "succeeded", "done", 5, 5, null, null, null,
                t.minusSeconds(60), t), List.of()));
        List<JobRecord> salvaged = new ArrayList<>();

        try (ImportJobs jobs = new ImportJobs(files, r -> {
            salvaged.add(r);
            return "removed its partial output [/pool/x.ova.partial]";
        })) {
            JobView j1 = jobs.get("j1");
            assertThat(j1.state()).isEqualTo(ImportJobs.INTERRUPTED);
            assertThat(j1.errorCode()).isEqualTo("AGENT_RESTARTED");
            assertThat(j1.errorMessage()).contains("phase 'convert data (1/1)'", "10 of 100 bytes", "removed its partial output");
            assertThat(j1.isFinished()).isTrue();
            assertThat(jobs.get("j2").state()).isEqualTo("succeeded");
            assertThat(jobs.all()).extracting(JobView::id).containsExactly("j1", "j2");
        }
        assertThat(salvaged).extracting(r -> r.view().id()).containsExactly("j1");

        try (ImportJobs again = new ImportJobs(files, r -> { throw new AssertionError("salvaged twice: " + r); })) {
            assertThat(again.get("j1").state()).as("the interruption was recorded").isEqualTo(ImportJobs.INTERRUPTED);
        }
    }

    @Test
    void aJobIsOnDiskFromItsStartToItsEnd(@TempDir Path dir) throws Exception {
        StateFiles<JobRecord> files = new StateFiles<>(dir, JobRecord.class);
        try (ImportJobs jobs = new ImportJobs(files, r -> "")) {
            JobView v = jobs.submit("export", "vm", tr -> {
                tr.willWrite(List.of("/out/vm.ova.partial"));
                tr.update("convert", 1, 2);
                return Map.of("files", List.of("/out/vm.ova"));
            });
            for (int i = 0; i < 1000 && !jobs.get(v.id()).isFinished(); i++) Thread.sleep(20);
            assertThat(jobs.get(v.id()).state()).isEqualTo("succeeded");
        }
        JobRecord kept = files.loadAll().get(0);
        assertThat(kept.view().state()).isEqualTo("succeeded");
        assertThat(kept.leftovers()).as("a finished job leaves nothing to clean up").isEmpty();
    }
}

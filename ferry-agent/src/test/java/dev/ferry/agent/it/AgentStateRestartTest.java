package dev.ferry.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.testing.ChildAgent;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.imports.api.ExportRequest;
import dev.ferry.imports.api.ImportClient;
import dev.ferry.imports.api.JobView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs survive an agent that is killed with SIGKILL in the middle of one: an OVA export runs in an
 * agent in a child JVM, which is killed while qemu-img converts the disk; the agent restarted on
 * the same state dir still lists the job, as interrupted with AGENT_RESTARTED and the phase it was
 * in, has killed the orphaned qemu-img and removed the half-written files, and the VM is free: the
 * same export then succeeds, and both jobs are still listed after a further restart.
 */
@Tag("qemu")
@Timeout(300)
class AgentStateRestartTest {
    private static final long POLL_MS = 100;
    TestAgent agent;

    @AfterEach
    void closeAgent() {
        if (agent != null) agent.close();
    }

    @Test
    void aJobRunningWhenTheAgentIsKilledIsReportedInterruptedAndLeavesNothingBehind() throws Exception {
        agent = TestAgent.start();
        Path disk = randomDisk(agent.poolDir().resolve("big.img"), 384);
        agent.client().define(TestGuest.spec("exp", 128, null, disk));
        Path out = agent.dir().resolve("exp.ova");
        ChildAgent child = agent.handOverToChildJvm();
        ImportClient imports = new ImportClient(agent.pki().clientSsl(), agent.url());

        JobView started = imports.startExport("exp", new ExportRequest(null, "ova", out.toString()));
        JobView midway = await(imports, started.id(), j -> j.phase().startsWith("convert") && j.doneBytes() > 0);
        assertThat(midway.isFinished()).isFalse();
        child.kill9();
        assertThat(qemuImgsUnder(agent.dir())).as("qemu-img outlives the killed agent").isNotEmpty();

        agent.restart();

        JobView after = imports.job(started.id());
        assertThat(after.state()).isEqualTo("interrupted");
        assertThat(after.errorCode()).isEqualTo("AGENT_RESTARTED");
        assertThat(after.errorMessage()).contains("phase 'convert", "removed its partial output", ".exp.ova.ferry-");
        assertThat(after.isFinished()).isTrue();
        assertThat(imports.jobs()).extracting(JobView::id).containsExactly(started.id());
        assertThat(qemuImgsUnder(agent.dir())).as("the orphaned qemu-img was killed").isEmpty();
        assertThat(names(agent.dir())).noneMatch(n -> n.startsWith(".exp.ova.ferry-") || n.startsWith("exp.ova"));

        JobView again = await(imports, imports.startExport("exp", new ExportRequest(null, "ova", out.toString())).id(), JobView::isFinished);
        assertThat(again.state()).as("%s", again.errorMessage()).isEqualTo("succeeded");
        assertThat(Files.size(out)).isPositive();

        agent.restart();

        assertThat(imports.jobs()).extracting(JobView::id, JobView::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(again.id(), "succeeded"),
                        org.assertj.core.groups.Tuple.tuple(started.id(), "interrupted"));
    }

    private static JobView await(ImportClient imports, String id, Predicate<JobView> until) throws InterruptedException {
        JobView j = imports.job(id);
        for (int i = 0; i < 1800 && !until.test(j); i++) {
            if (j.isFinished()) break;
            Thread.sleep(POLL_MS);
            j = imports.job(id);
        }
        assertThat(until.test(j)).as("job %s: %s %s %s", id, j.state(), j.phase(), j.errorMessage()).isTrue();
        return j;
    }

    /** A raw image of incompressible bytes, so converting it to a compressed VMDK takes long enough to be interrupted. */
    private static Path randomDisk(Path image, int sizeMiB) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(image)) {
            for (int i = 0; i < sizeMiB; i++) {
                random.nextBytes(block);
                o.write(block);
            }
        }
        return image.toAbsolutePath();
    }

    private static List<Long> qemuImgsUnder(Path dir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/qemu-img")).orElse(false))
                .filter(p -> QemuReaper.cmdline(p.pid()).contains(dir.toString())).map(ProcessHandle::pid).toList();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}

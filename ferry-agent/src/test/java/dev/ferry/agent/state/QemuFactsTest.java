package dev.ferry.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-QEMU facts outlive the agent (a new instance on the same folder reads them), but only for
 * the very process they were learned from: another pid, or the same pid with another start time
 * (a process that got the pid after a reboot), gets nothing and the fact is forgotten.
 */
class QemuFactsTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aFactSurvivesARestartForTheSameProcess(@TempDir Path dir) {
        new QemuFacts(dir).record("vm1", SELF, "tcp:10.0.0.2:5000");

        assertThat(new QemuFacts(dir).of("vm1", SELF)).contains("tcp:10.0.0.2:5000");
        assertThat(new QemuFacts(dir).of("vm2", SELF)).isEmpty();
    }

    @Test
    void anotherQemuOfTheVmNeverInheritsItAndItIsForgotten(@TempDir Path dir) {
        new QemuFacts(dir).record("vm1", SELF, "postcopy");

        assertThat(new QemuFacts(dir).of("vm1", SELF + 1)).isEmpty();
        assertThat(new QemuFacts(dir).of("vm1", SELF)).as("forgotten on disk too").isEmpty();
    }

    @Test
    void theSamePidStartedAtAnotherTimeIsAnotherProcess(@TempDir Path dir) {
        new StateFiles<>(dir, QemuFacts.Fact.class).save("vm1", new QemuFacts.Fact("vm1", SELF, Instant.EPOCH, "postcopy"));

        assertThat(new QemuFacts(dir).of("vm1", SELF)).isEmpty();
    }

    @Test
    void aHalfWrittenTemporaryIsIgnoredAndRemoved(@TempDir Path dir) throws Exception {
        new QemuFacts(dir).record("vm1", SELF, "postcopy");
        java.nio.file.Files.writeString(dir.resolve("vm2.json.tmp"), "{\"vm\":\"vm2\",\"pi");

        assertThat(new QemuFacts(dir).of("vm1", SELF)).contains("postcopy");
        assertThat(dir.resolve("vm2.json.tmp")).doesNotExist();
    }
}

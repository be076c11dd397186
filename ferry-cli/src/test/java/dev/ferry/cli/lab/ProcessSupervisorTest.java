package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSupervisorTest {
    @TempDir
    Path tmp;

    @Test
    void readyLineGivesThePort() throws Exception {
        ProcessSupervisor.Child c = ProcessSupervisor.start("svc",
                List.of("sh", "-c", "echo starting; sleep 0.3; echo 'agent host-a ready on port 40123'; sleep 30"), tmp.resolve("svc.log"));
        try {
            assertThat(ProcessSupervisor.awaitReady(c, Duration.ofSeconds(10))).isEqualTo(40123);
        } finally {
            ProcessTools.stopAll(List.of(c.pid()), 1000);
        }
        assertThat(c.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aChildThatDiesEarlyIsReportedWithItsLogTail() {
        ProcessSupervisor.Child c = ProcessSupervisor.start("host-b", List.of("sh", "-c", "echo 'error: cannot bind 10.213.2.2'; exit 3"),
                tmp.resolve("host-b.log"));
        assertThatThrownBy(() -> ProcessSupervisor.awaitReady(c, Duration.ofSeconds(10))).isInstanceOf(LabException.class)
                .hasMessageContaining("host-b exited with status 3").hasMessageContaining("cannot bind 10.213.2.2");
    }

    @Test
    void aChildThatHangsTimesOut() {
        ProcessSupervisor.Child c = ProcessSupervisor.start("slow", List.of("sleep", "30"), tmp.resolve("slow.log"));
        try {
            assertThatThrownBy(() -> ProcessSupervisor.awaitReady(c, Duration.ofMillis(300))).isInstanceOf(LabException.class)
                    .hasMessageContaining("not ready after");
        } finally {
            ProcessTools.stopAll(List.of(c.pid()), 1000);
        }
    }

    @Test
    void childrenRunInTheirOwnSessionWhenSetsidExists() {
        List<String> cmd = ProcessSupervisor.detached(List.of("java", "-version"));
        assertThat(cmd).endsWith("java", "-version");
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/setsid"))) assertThat(cmd.get(0)).isEqualTo("/usr/bin/setsid");
    }
}

package dev.ferry.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {
    @Test
    void childProcessesRunTheSameCodeWithFastStartFlags() {
        JavaCommand j = new JavaCommand("/jdk/bin/java", JavaCommand.FAST_START, List.of("-jar", "/repo/ferry-cli/target/ferry.jar"));
        List<String> cmd = j.ferry("agent", "--config", "/lab/hosts/host-a/agent.yaml");
        assertThat(cmd.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(cmd).containsSequence("-jar", "/repo/ferry-cli/target/ferry.jar", "agent", "--config", "/lab/hosts/host-a/agent.yaml");
        assertThat(cmd).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void fromTestClassesItFallsBackToTheClassPath() {
        JavaCommand j = JavaCommand.current();
        assertThat(j.java()).endsWith("/bin/java");
        assertThat(j.launch()).containsAnyOf("-jar", "-cp");
        if (j.launch().get(0).equals("-cp")) assertThat(j.launch()).endsWith("dev.ferry.cli.FerryCli");
    }
}

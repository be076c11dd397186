package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.error.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry demo} refuses bad flags before it builds anything: exit 2, one error line naming the flag, no work directory. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badHostVmAndEvacuationFlagsAreRefusedAndNothingIsCreated() {
        String home = System.getProperty("ferry.home");
        System.setProperty("ferry.home", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            Path dir = tmp.resolve("lab");
            String[][] bad = {{"--hosts", "6"}, {"--hosts", "1"}, {"--vms", "0"}, {"--vms", "9"}, {"--evacuate", "--rounds", "2"},
                    {"--evacuate", "--bandwidth", "50"}, {"--hosts", "3", "--shape", "10gbit"}};
            for (String[] flags : bad) {
                String[] args = new String[flags.length + 3];
                args[0] = "demo";
                args[1] = "--dir";
                args[2] = dir.toString();
                System.arraycopy(flags, 0, args, 3, flags.length);
                Cli.Result r = Cli.run(args).assertError(ExitCodes.USAGE, "INVALID_ARGUMENT");
                assertThat(r.err()).contains(flags[flags.length - 2]);
                assertThat(Files.exists(dir)).as("work directory after %s", String.join(" ", flags)).isFalse();
            }
        } finally {
            if (home == null) System.clearProperty("ferry.home");
            else System.setProperty("ferry.home", home);
        }
    }
}

package dev.ferry.controller.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the root workaround directly. Where user namespaces work, zonky itself runs PostgreSQL
 * under {@code unshare -U} and the wrappers just pass through; this test runs a wrapper the way it
 * runs where they don't, so the {@code setpriv} path is exercised on every root run.
 */
class RootSafePgBinariesTest {
    @TempDir
    Path dir;

    @Test
    void initdbWrapperRunsAsRootByDroppingToAnUnprivilegedUser() throws Exception {
        assumeTrue(RootSafePgBinaries.runningAsRoot(), "only meaningful as root");
        assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64"), "zonky's x86_64 binaries are the ones on the classpath");
        Path real = RootSafePgBinaries.unpackRealBinaries("Linux", "x86_64");
        Path wrapper = dir.resolve("initdb");
        Files.writeString(wrapper, RootSafePgBinaries.wrapper(real.resolve("bin/initdb")));
        wrapper.toFile().setExecutable(true);
        // The unprivileged user must be able to reach the data directory.
        Path base = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"));
        Path data = base.resolve("wrapper-test-" + ProcessHandle.current().pid());
        try {
            Process p = new ProcessBuilder(wrapper.toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
                    "-E", "UTF-8", "--locale=C", "--no-sync")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(((Number) Files.getAttribute(data, "unix:uid")).intValue())
                    .isEqualTo(RootSafePgBinaries.UNPRIVILEGED_ID);
            assertThat(data.resolve("PG_VERSION")).exists();
        } finally {
            RootSafePgBinaries.deleteTree(data);
        }
    }

    @Test
    void wrapperQuotesThePathOfTheRealProgram() {
        String script = RootSafePgBinaries.wrapper(Path.of("/tmp/it's here/bin/initdb"));
        assertThat(script).contains("real='/tmp/it'\\''s here/bin/initdb'");
    }
}

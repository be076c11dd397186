package dev.ferry.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where fixtures put their files: under {@code $FERRY_TEST_TMP} if set, else {@code java.io.tmpdir}.
 * Paths stay short on purpose, because QEMU's QMP socket lives below them and a unix socket path
 * has at most 107 bytes. Set {@code FERRY_TEST_KEEP=1} to keep directories (logs, serial
 * consoles) after the tests for a post-mortem.
 */
public final class TestDirs {
    private TestDirs() {}

    /** The root all fixture directories go under. */
    public static Path base() {
        String env = System.getenv("FERRY_TEST_TMP");
        Path base = Path.of(env != null && !env.isBlank() ? env : System.getProperty("java.io.tmpdir"));
        try {
            return Files.createDirectories(base).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty directory named {@code ferry-PREFIX-<random>}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(base(), "ferry-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean keep() { return System.getenv("FERRY_TEST_KEEP") != null; }

    /** Deletes a directory tree, unless {@link #keep()}; errors are ignored. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || keep() || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover file in a temp dir harms nobody
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // same
        }
    }
}

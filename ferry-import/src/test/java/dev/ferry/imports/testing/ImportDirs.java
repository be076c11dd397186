package dev.ferry.imports.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary folders for import tests, under {@code $FERRY_TEST_TMP} (what scripts/test.sh sets and
 * reaps) or {@code java.io.tmpdir}; short paths because QMP sockets live below them. Kept with
 * {@code FERRY_TEST_KEEP=1}.
 */
public final class ImportDirs {
    private ImportDirs() {}

    public static Path create(String prefix) {
        String env = System.getenv("FERRY_TEST_TMP");
        Path base = Path.of(env != null && !env.isBlank() ? env : System.getProperty("java.io.tmpdir"));
        try {
            return Files.createTempDirectory(Files.createDirectories(base), "ferry-" + prefix + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        if (dir == null || System.getenv("FERRY_TEST_KEEP") != null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the entries of {@code dir}, sorted (hidden ones included). */
    public static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

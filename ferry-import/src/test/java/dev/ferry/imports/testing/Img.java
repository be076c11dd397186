package dev.ferry.imports.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs qemu-img (and tar) for fixtures, the way an operator would on the command line. */
public final class Img {
    private Img() {}

    /** {@code qemu-img convert -f raw -O FORMAT [-o OPTS] raw out}. */
    public static Path convert(Path raw, String format, String opts, Path out) {
        List<String> cmd = new ArrayList<>(List.of("qemu-img", "convert", "-q", "-f", "raw", "-O", format));
        if (opts != null) cmd.addAll(List.of("-o", opts));
        cmd.addAll(List.of(raw.toString(), out.toString()));
        run(cmd);
        return out;
    }

    /** True if {@code qemu-img compare} says identical. */
    public static boolean identical(Path a, String fa, Path b, String fb) {
        return exec(List.of("qemu-img", "compare", "-q", "-f", fa, "-F", fb, a.toString(), b.toString())) == 0;
    }

    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

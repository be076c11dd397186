package dev.ferry.qemu.img;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.DiskFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Runs {@code qemu-img} safely: the format is always given explicitly ({@code -f}/{@code -O}/
 * {@code -F}), output is read as JSON ({@code --output=json}), never as human text, and the process
 * runs under resource limits (CPU seconds, address space) via {@code prlimit}, so a hostile image
 * cannot exhaust the host. Long operations (convert, compare) get a larger CPU budget; their
 * progress is read from the kernel's per-process I/O counters, not from qemu-img's text output.
 */
public final class QemuImg {
    private static final String AS_LIMIT = "--as=" + (2L << 30);
    private static final int SHORT_CPU_SECONDS = 60;
    private static final int LONG_CPU_SECONDS = 6 * 3600;
    private static final int MAX_OUTPUT_BYTES = 8 << 20;

    private final String binary;

    public QemuImg(String binary) { this.binary = binary; }

    public static QemuImg system() { return new QemuImg("qemu-img"); }

    /** {@code qemu-img info} of one image, opened with its declared format and no backing chain. */
    public JsonNode info(Path image, DiskFormat format) { return info(image, ImageFormat.of(format)); }

    /** {@code qemu-img info} with an explicit format of any kind qemu-img reads (no backing chain is opened). */
    public JsonNode info(Path image, ImageFormat format) {
        return json("info", run(List.of(binary, "info", "-U", "--output=json", "-f", format.driver(), image.toString()),
                SHORT_CPU_SECONDS, 30, null).stdout(), image);
    }

    /** {@code qemu-img measure}: bytes a conversion of {@code image} to {@code target} needs ({@code required}, {@code fully-allocated}). */
    public JsonNode measure(Path image, ImageFormat format, ImageFormat target) {
        return json("measure", run(List.of(binary, "measure", "--output=json", "-f", format.driver(), "-O", target.driver(),
                image.toString()), SHORT_CPU_SECONDS, 60, null).stdout(), image);
    }

    /**
     * {@code qemu-img info --backing-chain}: a JSON array, one object per image, top first. This opens
     * every backing file, so call it only on images {@link ImageInspector} accepted.
     */
    public JsonNode infoChain(Path image, DiskFormat format) {
        return json("info", run(List.of(binary, "info", "-U", "--output=json", "--backing-chain", "-f", format.json(),
                image.toString()), SHORT_CPU_SECONDS, 60, null).stdout(), image);
    }

    /**
     * {@code qemu-img map}: the image's extents ({@code start}, {@code length}, {@code depth},
     * {@code data}, {@code zero}, {@code compressed}, and {@code offset} where the data lies
     * uncompressed in a file of the chain). Only for images {@link ImageInspector} accepted.
     */
    public JsonNode map(Path image, DiskFormat format) {
        return json("map", run(List.of(binary, "map", "-U", "--output=json", "-f", format.json(), image.toString()),
                LONG_CPU_SECONDS, 600, null).stdout(), image);
    }

    public void create(Path image, DiskFormat format, long sizeBytes) {
        run(List.of(binary, "create", "-q", "-f", format.json(), image.toString(), String.valueOf(sizeBytes)), SHORT_CPU_SECONDS, 60, null);
    }

    /**
     * {@code qemu-img convert -f FMT -O FMT [-o OPTS]}: sparse by default (zero areas are not written).
     * {@code written} is told, about twice a second, how many bytes qemu-img has written so far
     * ({@code wchar} of {@code /proc/PID/io}); pass null if no progress is wanted.
     */
    public void convert(Path source, ImageFormat from, Path target, ImageFormat to, String createOptions,
                        int timeoutSeconds, LongConsumer written) {
        List<String> cmd = new ArrayList<>(List.of(binary, "convert", "-q", "-f", from.driver(), "-O", to.driver()));
        if (createOptions != null && !createOptions.isBlank()) cmd.addAll(List.of("-o", createOptions));
        cmd.addAll(List.of(source.toString(), target.toString()));
        run(cmd, LONG_CPU_SECONDS, timeoutSeconds, written);
    }

    /** {@code qemu-img compare}: true if both images hold the same guest-visible data (exit 0), false if they differ (exit 1). */
    public boolean compare(Path a, ImageFormat fa, Path b, ImageFormat fb, int timeoutSeconds) {
        Result r = run(List.of(binary, "compare", "-q", "-f", fa.driver(), "-F", fb.driver(), a.toString(), b.toString()),
                LONG_CPU_SECONDS, timeoutSeconds, null, 0, 1);
        return r.exit() == 0;
    }

    private record Result(int exit, String stdout, String stderr) {}

    private Result run(List<String> args, int cpuSeconds, int timeoutSeconds, LongConsumer written, int... okExits) {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--cpu=" + cpuSeconds, AS_LIMIT, "--"));
        cmd.addAll(args);
        String verb = args.get(1);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Drain out = Drain.start(p.getInputStream());
            Drain err = Drain.start(p.getErrorStream());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) { // progress is read every 100 ms
                if (written != null) written.accept(writtenBytes(p.pid()));
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + verb + " took longer than " + timeoutSeconds + " s");
                }
            }
            Result r = new Result(p.exitValue(), out.text(), err.text().strip());
            boolean ok = okExits.length == 0 ? r.exit() == 0 : java.util.Arrays.stream(okExits).anyMatch(e -> e == r.exit());
            if (!ok) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + verb + " failed (exit " + r.exit() + "): " + r.stderr());
            }
            return r;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.QEMU_FAILED, "interrupted while running qemu-img " + verb, e);
        }
    }

    /** {@code wchar} of {@code /proc/PID/io}: bytes the process has written (prlimit execs qemu-img, so the pid is qemu-img's). */
    static long writtenBytes(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(pid), "io"))) {
                if (line.startsWith("wchar:")) return Long.parseLong(line.substring(6).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // the process has just exited, or /proc is unreadable: no reading this time
        }
        return -1;
    }

    private static JsonNode json(String verb, String out, Path image) {
        try {
            return Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + verb + " gave unreadable output for " + image);
        }
    }

    /** Reads a process stream on its own thread (so neither pipe can fill and stall qemu-img), keeping at most 8 MiB. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        private Drain(InputStream in) {
            super("qemu-img-drain");
            this.in = in;
            setDaemon(true);
        }

        static Drain start(InputStream in) {
            Drain d = new Drain(in);
            d.start();
            return d;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    synchronized (buf) {
                        if (buf.size() < MAX_OUTPUT_BYTES) buf.write(chunk, 0, Math.min(n, MAX_OUTPUT_BYTES - buf.size()));
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }

        String text() {
            try {
                join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted"));
            }
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

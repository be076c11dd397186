package dev.ferry.agent.storage;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code qemu-img} commands that make new images for moves, clones and migration targets:
 * empty images, qcow2 overlays on a base ({@code -b BASE -F FMT}, the base's format always explicit)
 * and full copies ({@code convert -f -O}, sparse). Like {@link dev.ferry.qemu.img.QemuImg} it never
 * lets qemu-img probe a format and runs it under {@code prlimit} (CPU time, address space).
 */
final class ImageCommands {
    private static final String AS_LIMIT = "--as=" + (2L << 30);

    private ImageCommands() {}

    static void create(Path image, DiskFormat format, long sizeBytes) {
        run(List.of("create", "-q", "-f", format.json(), image.toString(), String.valueOf(sizeBytes)), 60);
    }

    /**
     * A qcow2 overlay of {@code base}. {@code unsafe}: do not open the base (needed while a running
     * QEMU holds its write lock); the size is then given explicitly.
     */
    static void createOverlay(Path overlay, Path base, DiskFormat baseFormat, long sizeBytes, boolean unsafe) {
        List<String> args = new ArrayList<>(List.of("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", baseFormat.json()));
        if (unsafe) args.add("-u");
        args.add(overlay.toString());
        args.add(String.valueOf(sizeBytes));
        run(args, 60);
    }

    /** A full, sparse copy of a stopped image (a qcow2 chain is flattened). */
    static void convert(Path source, DiskFormat from, Path target, DiskFormat to) {
        run(List.of("convert", "-q", "-f", from.json(), "-O", to.json(), source.toString(), target.toString()), 6 * 3600);
    }

    /** True if both images hold the same guest-visible data; opened shared ({@code -U}), so one may be in use. */
    static boolean identical(Path a, DiskFormat fa, Path b, DiskFormat fb) {
        return run(List.of("compare", "-q", "-U", "-f", fa.json(), "-F", fb.json(), a.toString(), b.toString()), 6 * 3600, 0, 1) == 0;
    }

    private static int run(List<String> args, int timeoutSeconds, int... okExits) {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--cpu=" + timeoutSeconds, AS_LIMIT, "--", "qemu-img"));
        cmd.addAll(args);
        Path errFile = null;
        try {
            errFile = java.nio.file.Files.createTempFile("ferry-qemu-img-", ".err");
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + args.get(0) + " took longer than " + timeoutSeconds + " s");
            }
            int exit = p.exitValue();
            boolean ok = okExits.length == 0 ? exit == 0 : java.util.Arrays.stream(okExits).anyMatch(e -> e == exit);
            if (!ok) {
                String err = java.nio.file.Files.readString(errFile, StandardCharsets.UTF_8).strip();
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + args.get(0) + " failed (exit " + exit + "): "
                        + (err.length() > 2000 ? err.substring(0, 2000) : err));
            }
            return exit;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.QEMU_FAILED, "interrupted while running qemu-img", e);
        } finally {
            if (errFile != null) {
                try {
                    java.nio.file.Files.deleteIfExists(errFile);
                } catch (IOException ignored) {
                    // a temp file left behind harms nobody
                }
            }
        }
    }
}

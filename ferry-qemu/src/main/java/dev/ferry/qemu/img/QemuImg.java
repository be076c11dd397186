package dev.ferry.qemu.img;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.DiskFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code qemu-img} safely: the format is always given explicitly ({@code -f}), output is read
 * as JSON ({@code --output=json}), never as human text, and the process runs under resource limits
 * (CPU seconds, address space) via {@code prlimit}, so a hostile image cannot exhaust the host.
 */
public final class QemuImg {
    private static final String CPU_LIMIT = "--cpu=60";
    private static final String AS_LIMIT = "--as=" + (2L << 30);

    private final String binary;

    public QemuImg(String binary) { this.binary = binary; }

    public static QemuImg system() { return new QemuImg("qemu-img"); }

    /** {@code qemu-img info} of one image, opened with its declared format and no backing chain. */
    public JsonNode info(Path image, DiskFormat format) {
        String out = run(List.of(binary, "info", "-U", "--output=json", "-f", format.json(), image.toString()), 30);
        try {
            return Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img info gave unreadable output for " + image);
        }
    }

    public void create(Path image, DiskFormat format, long sizeBytes) {
        run(List.of(binary, "create", "-q", "-f", format.json(), image.toString(), String.valueOf(sizeBytes)), 60);
    }

    private String run(List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>(List.of("prlimit", CPU_LIMIT, AS_LIMIT, "--"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + args.get(1) + " took longer than " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "qemu-img " + args.get(1) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.QEMU_FAILED, "interrupted while running qemu-img", e);
        }
    }
}

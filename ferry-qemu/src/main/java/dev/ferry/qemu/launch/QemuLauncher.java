package dev.ferry.qemu.launch;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a QEMU process for a spec and hands back its {@link QemuProcess}. QEMU runs with
 * {@code -daemonize}: it detaches from the agent (own session, reparented to init), so an agent
 * crash or restart never takes running guests down with it, and QEMU's own parent exits only once
 * the machine is fully set up, which makes start-up errors (bad image, bad device) synchronous and
 * readable from stderr.
 */
public final class QemuLauncher {
    private static final long START_TIMEOUT_SECONDS = 60;

    private QemuLauncher() {}

    public static QemuProcess launch(VmSpec spec, LaunchOptions opts) {
        List<String> cmd = QemuCommandLine.build(spec, opts);
        try {
            Files.createDirectories(opts.runDir());
            Files.deleteIfExists(opts.qmpSocket());
            Files.deleteIfExists(opts.pidFile());
            Path stderr = opts.runDir().resolve("qemu-start.err");
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU for '" + spec.name() + "' did not finish starting in "
                        + START_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU refused to start '" + spec.name() + "': "
                        + lastLines(stderr));
            }
            return QemuProcess.attach(spec.name(), opts.pidFile(), opts.qmpSocket())
                    .orElseThrow(() -> new FerryException(ErrorCode.QEMU_FAILED,
                            "QEMU for '" + spec.name() + "' exited right after starting: " + lastLines(opts.qemuLog())));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "cannot start QEMU (" + opts.qemuBinary() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.QEMU_FAILED, "interrupted while starting QEMU", e);
        }
    }

    static String lastLines(Path file) {
        try {
            if (!Files.exists(file)) return "(no output)";
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            String text = String.join(" | ", tail).replaceAll("^[0-9:.-]+ ", "").strip();
            return text.isEmpty() ? "(no output)" : text;
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }
}

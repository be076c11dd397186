package dev.ferry.agent.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QemuVersion;
import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What this host's QEMU can do, asked of QEMU itself: its version, machine types and CPU models,
 * read over QMP from a short-lived {@code -machine none} process (never from {@code -help} text).
 * Read once at agent start; the result goes into the host inventory.
 */
public record QemuCapabilities(QemuVersion version, List<String> machineTypes, List<String> cpuModels) {

    public static QemuCapabilities probe(String qemuBinary, Path workDir) {
        Path sock = workDir.resolve("caps-qmp.sock");
        Process p = null;
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(sock);
            p = new ProcessBuilder(qemuBinary, "-machine", "none", "-nodefaults", "-no-user-config", "-display", "none",
                    "-chardev", "socket,id=qmp,path=" + sock + ",server=on,wait=off", "-mon", "chardev=qmp,mode=control")
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("caps-qemu.log").toFile()).start();
            try (QmpClient qmp = QmpClient.connect(sock, Duration.ofSeconds(15))) {
                List<String> machines = names(qmp.execute("query-machines"), "name", "alias");
                List<String> cpus = names(qmp.execute("query-cpu-definitions"), "name", "alias-of");
                return new QemuCapabilities(qmp.version(), machines, cpus);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "cannot run " + qemuBinary + ": " + e.getMessage(), e);
        } finally {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Names plus aliases (e.g. {@code q35} for {@code pc-q35-10.0}), since specs use either. */
    private static List<String> names(JsonNode array, String field, String aliasField) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        array.forEach(n -> {
            out.add(n.path(field).asText());
            if (n.hasNonNull(aliasField)) out.add(n.get(aliasField).asText());
        });
        return List.copyOf(out);
    }
}

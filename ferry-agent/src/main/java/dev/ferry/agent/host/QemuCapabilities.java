package dev.ferry.agent.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo.CpuDefinition;
import dev.ferry.qemu.qmp.QemuVersion;
import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What this host's QEMU can do, asked of QEMU itself: its version, machine types (with the
 * aliases such as {@code q35 -> pc-q35-10.0}, which differ between QEMU versions) and CPU models,
 * read over QMP from a short-lived {@code -machine none} process (never from {@code -help} text).
 * Each CPU model's {@code unavailable-features} depend on the accelerator, so the probe runs with
 * the accelerator the agent runs guests with ({@code accelerator}); {@code -machine none} boots no
 * guest, so asking with KVM is safe even where a KVM guest would hang. Read at agent start; the
 * result goes into the host inventory.
 */
public record QemuCapabilities(QemuVersion version, List<String> machineTypes, List<String> cpuModels,
                               List<CpuDefinition> cpuDefinitions, Map<String, String> machineAliases, String accelerator) {

    public QemuCapabilities {
        cpuDefinitions = cpuDefinitions == null ? List.of() : List.copyOf(cpuDefinitions);
        machineAliases = machineAliases == null ? Map.of() : Map.copyOf(machineAliases);
    }

    /** Probes with QEMU's default accelerator (TCG for {@code -machine none}). */
    public static QemuCapabilities probe(String qemuBinary, Path workDir) { return probe(qemuBinary, workDir, null); }

    /** Probes with {@code -accel accelerator} (kvm or tcg; null for QEMU's default). */
    public static QemuCapabilities probe(String qemuBinary, Path workDir, String accelerator) {
        Path sock = workDir.resolve("caps-qmp.sock");
        Process p = null;
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(sock);
            List<String> cmd = new ArrayList<>(List.of(qemuBinary, "-machine", "none", "-nodefaults", "-no-user-config", "-display",
                    "none", "-chardev", "socket,id=qmp,path=" + sock + ",server=on,wait=off", "-mon", "chardev=qmp,mode=control"));
            if (accelerator != null) cmd.addAll(List.of("-accel", accelerator));
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(workDir.resolve("caps-qemu.log").toFile()).start();
            try (QmpClient qmp = QmpClient.connect(sock, Duration.ofSeconds(15))) {
                return fromQmp(qmp.version(), qmp.execute("query-machines"), qmp.execute("query-cpu-definitions"),
                        accelerator == null ? "tcg" : accelerator);
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

    /** The capabilities in QEMU's answers to {@code query-machines} and {@code query-cpu-definitions}. */
    public static QemuCapabilities fromQmp(QemuVersion version, JsonNode machines, JsonNode cpus, String accelerator) {
        Map<String, String> aliases = new TreeMap<>();
        machines.forEach(m -> {
            if (m.hasNonNull("alias")) aliases.put(m.get("alias").asText(), m.path("name").asText());
        });
        List<CpuDefinition> defs = new ArrayList<>();
        cpus.forEach(c -> {
            List<String> missing = new ArrayList<>();
            c.path("unavailable-features").forEach(f -> missing.add(f.asText()));
            defs.add(new CpuDefinition(c.path("name").asText(), c.hasNonNull("alias-of") ? c.get("alias-of").asText() : null,
                    missing, c.path("migration-safe").asBoolean(false)));
        });
        defs.sort(java.util.Comparator.comparing(CpuDefinition::name));
        return new QemuCapabilities(version, names(machines, "name", "alias"), names(cpus, "name", "alias-of"), defs, aliases,
                accelerator);
    }

    /** The same QEMU, restricted to the machine types an operator allows ({@code allowed}; null or empty: all). */
    public QemuCapabilities allowingMachines(List<String> allowed) {
        if (allowed == null || allowed.isEmpty()) return this;
        List<String> kept = machineTypes.stream().filter(allowed::contains).toList();
        Map<String, String> keptAliases = new TreeMap<>();
        machineAliases.forEach((alias, target) -> {
            if (allowed.contains(alias)) keptAliases.put(alias, target);
        });
        return new QemuCapabilities(version, kept, cpuModels, cpuDefinitions, keptAliases, accelerator);
    }

    /** Names plus aliases (e.g. {@code q35} for {@code pc-q35-10.0}), since specs use either. */
    private static List<String> names(JsonNode array, String field, String aliasField) {
        TreeSet<String> out = new TreeSet<>();
        array.forEach(n -> {
            out.add(n.path(field).asText());
            if (n.hasNonNull(aliasField)) out.add(n.get(aliasField).asText());
        });
        return List.copyOf(out);
    }
}

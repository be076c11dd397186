package dev.ferry.agent.host;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.HostInfo.PoolInfo;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Collects the host inventory the agent reports: CPU (from /proc/cpuinfo), memory (from
 * /proc/meminfo), QEMU's capabilities (CPU definitions probed with the chosen accelerator), the
 * chosen accelerator and why, storage pools with their
 * capacity, networks and the migration address. Cheap parts are re-read on every call.
 */
public final class HostInventory {
    private final AgentConfig config;
    private final QemuCapabilities qemu;
    private final String accelerator;
    private final String acceleratorReason;
    private final String fingerprint;
    private java.util.function.BooleanSupplier maintenance = () -> false;

    /** {@code qemu}: the capabilities probed with {@code accelerator}, already narrowed to the machine types the config allows. */
    public HostInventory(AgentConfig config, QemuCapabilities qemu, String accelerator, String acceleratorReason, String fingerprint) {
        this.config = config;
        this.qemu = qemu;
        this.accelerator = accelerator;
        this.acceleratorReason = acceleratorReason;
        this.fingerprint = fingerprint;
    }

    public HostInfo collect() {
        Map<String, String> cpu = firstCpu();
        Map<String, Long> mem = meminfo();
        List<String> flags = Arrays.asList(cpu.getOrDefault("flags", "").split("\\s+"));
        return new HostInfo(config.name(), AgentVersion.get(), cpu.get("vendor_id"), cpu.get("model name"), flags,
                Runtime.getRuntime().availableProcessors(), qemu.version().toString(), accelerator, acceleratorReason,
                qemu.machineTypes(), qemu.cpuModels(), mem.getOrDefault("MemTotal", 0L) / 1024,
                mem.getOrDefault("MemAvailable", 0L) / 1024, pools(), config.networks(), config.migrationAddressOrListen(),
                fingerprint, qemu.cpuDefinitions(), qemu.machineAliases(), config.uefiFirmware() != null, maintenance.getAsBoolean());
    }

    public QemuCapabilities qemu() { return qemu; }

    /** Where the agent-side maintenance flag is read from (reported in the inventory). */
    public void maintenance(java.util.function.BooleanSupplier flag) { this.maintenance = flag; }

    private List<PoolInfo> pools() {
        return config.pools().stream().map(p -> {
            try {
                Path dir = Path.of(p.path());
                Files.createDirectories(dir);
                FileStore fs = Files.getFileStore(dir);
                return new PoolInfo(p.name(), p.path(), p.isShared(), fs.getTotalSpace(), fs.getUsableSpace());
            } catch (IOException e) {
                return new PoolInfo(p.name(), p.path(), p.isShared(), 0, 0);
            }
        }).toList();
    }

    private static Map<String, String> firstCpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .takeWhile(l -> !l.isBlank())
                    .filter(l -> l.contains(":"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')).strip(),
                            l -> l.substring(l.indexOf(':') + 1).strip(), (a, b) -> a));
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static Map<String, Long> meminfo() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.matches("\\w+:\\s+\\d+.*"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
                            l -> Long.parseLong(l.substring(l.indexOf(':') + 1).replace("kB", "").strip()),
                            (a, b) -> a));
        } catch (IOException e) {
            return Map.of();
        }
    }

}

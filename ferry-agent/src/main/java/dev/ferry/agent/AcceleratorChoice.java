package dev.ferry.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.host.QemuCapabilities;
import dev.ferry.api.json.Json;
import dev.ferry.qemu.launch.Accelerator;
import dev.ferry.qemu.launch.AcceleratorProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Applies the agent's {@code accelerator} setting: {@code kvm} and {@code tcg} are taken as given;
 * {@code auto} boots the probe guest with KVM ({@link AcceleratorProbe}) and falls back to TCG. The
 * probe's verdict is cached in the state directory for the same QEMU version and probe kernel, so
 * an agent restart does not wait for the probe's timeout again.
 */
final class AcceleratorChoice {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private AcceleratorChoice() {}

    static AcceleratorProbe.Result choose(AgentConfig config, QemuCapabilities caps, Path stateDir) {
        String setting = config.accelerator() == null ? "auto" : config.accelerator();
        if (setting.equals("kvm")) return new AcceleratorProbe.Result(Accelerator.KVM, "set in the agent config");
        if (setting.equals("tcg")) return new AcceleratorProbe.Result(Accelerator.TCG, "set in the agent config");
        AgentConfig.ProbeGuest g = config.probeGuest();
        Path kernel = g == null || g.kernel() == null ? null : Path.of(g.kernel());
        Path initrd = g == null || g.initrd() == null ? null : Path.of(g.initrd());
        String key = caps.version() + "|" + kernel + "|" + size(kernel) + "|" + size(initrd);
        Path cache = stateDir.resolve("accelerator.json");
        AcceleratorProbe.Result cached = read(cache, key);
        if (cached != null) return cached;
        AcceleratorProbe.Result r = AcceleratorProbe.probe(config.qemu(), kernel, initrd, PROBE_TIMEOUT, stateDir.resolve("probe"));
        write(cache, key, r);
        return r;
    }

    private static long size(Path p) {
        try {
            return p == null ? -1 : Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static AcceleratorProbe.Result read(Path cache, String key) {
        try {
            if (!Files.exists(cache)) return null;
            JsonNode n = Json.mapper().readTree(cache.toFile());
            if (!key.equals(n.path("key").asText())) return null;
            return new AcceleratorProbe.Result(Accelerator.valueOf(n.path("accelerator").asText()),
                    n.path("reason").asText() + " (cached)");
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void write(Path cache, String key, AcceleratorProbe.Result r) {
        try {
            Files.createDirectories(cache.getParent());
            Json.mapper().writeValue(cache.toFile(), Map.of("key", key, "accelerator", r.accelerator().name(), "reason", r.reason()));
        } catch (IOException ignored) {
            // a missing cache only costs the next start a probe
        }
    }
}

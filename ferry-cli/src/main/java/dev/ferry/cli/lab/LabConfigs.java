package dev.ferry.cli.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the lab's config files in the formats the real commands read: {@code agent.yaml} per host
 * (its namespace's addresses, its own state directory, the one shared pool, the {@code user}
 * network, TCG), {@code server.yaml} for the controller (127.0.0.1, SQLite in its state directory,
 * a fast inventory sync) and {@code cli.yaml}, so the commands the demo prints work as they are.
 * Ports are 0: each process picks a free one and reports it on its ready line.
 */
public final class LabConfigs {
    public static final String POOL = "shared";
    public static final String NETWORK = "user";

    private LabConfigs() {}

    public static String agentYaml(LabLayout layout, AddressPlan.LabHost host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", host.name());
        m.put("listen", host.apiIp() + ":0");
        m.put("stateDir", layout.hostState(host.name()).toString());
        m.put("tlsDir", layout.identity(host.name()).toString());
        m.put("accelerator", "tcg");
        m.put("migrationAddress", host.migrationIp());
        m.put("pools", List.of(Map.of("name", POOL, "path", layout.shared().toString(), "shared", true)));
        m.put("networks", List.of(Map.of("name", NETWORK, "type", "user")));
        return yaml(m);
    }

    public static String serverYaml(LabLayout layout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listen", "127.0.0.1:0");
        m.put("stateDir", layout.controllerState().toString());
        m.put("tlsDir", layout.identity(LabPki.CONTROLLER).toString());
        m.put("syncIntervalSeconds", 2);
        return yaml(m);
    }

    public static String cliYaml(LabLayout layout, String serverUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", serverUrl);
        m.put("tlsDir", layout.clientIdentity().toString());
        return yaml(m);
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String yaml(Map<String, Object> m) {
        try {
            return Json.yaml().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

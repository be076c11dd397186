package dev.ferry.cli.lab;

import dev.ferry.api.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lab has started, written to {@code lab.json} in its work directory after every change, so
 * that {@code ferry demo --stop} (another process, maybe much later) and the clean-up after a crash
 * know which processes, agents and namespaces belong to it. A marker file in the temp directory
 * remembers the last lab's directory, so {@code --stop} works without {@code --dir}.
 *
 * @param mode       {@link AddressPlan#NETNS} or {@link AddressPlan#LOOPBACK}
 * @param processes  started children by name (host-a, host-b, controller) with their pids
 * @param agents     agent API URLs by host name
 */
public record LabState(String dir, String mode, Map<String, Long> processes, Map<String, String> agents, String controller) {
    public static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "ferry-demo.last");

    public LabState {
        processes = new LinkedHashMap<>(processes == null ? Map.of() : processes);
        agents = new LinkedHashMap<>(agents == null ? Map.of() : agents);
    }

    public static LabState fresh(LabLayout layout, String mode) {
        return new LabState(layout.dir().toString(), mode, Map.of(), Map.of(), null);
    }

    public LabState withProcess(String name, long pid) {
        Map<String, Long> p = new LinkedHashMap<>(processes);
        p.put(name, pid);
        return new LabState(dir, mode, p, agents, controller);
    }

    public LabState withAgent(String name, String url) {
        Map<String, String> a = new LinkedHashMap<>(agents);
        a.put(name, url);
        return new LabState(dir, mode, processes, a, controller);
    }

    public LabState withController(String url) {
        return new LabState(dir, mode, processes, agents, url);
    }

    public List<Long> pids() { return new ArrayList<>(processes.values()); }

    public void save(LabLayout layout) {
        try {
            Path tmp = layout.stateFile().resolveSibling("lab.json.tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, layout.stateFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + layout.stateFile() + ": " + e.getMessage());
        }
    }

    /** Remembers {@code dir} as the most recent lab, for {@code --stop} without {@code --dir}. */
    public static void markLatest(Path dir) {
        try {
            Files.writeString(MARKER, dir + "\n");
        } catch (IOException e) {
            // only a convenience: --stop --dir still works
        }
    }

    public static LabState load(Path dir) {
        Path file = new LabLayout(dir).stateFile();
        if (!Files.exists(file)) throw new LabException("no demo lab in " + dir + " (" + file + " does not exist)");
        try {
            return Json.mapper().readValue(file.toFile(), LabState.class);
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The directory of the most recent lab, if the marker names one that still exists. */
    public static Path lastDir() {
        try {
            if (!Files.exists(MARKER)) return null;
            Path dir = Path.of(Files.readString(MARKER).strip());
            return Files.exists(new LabLayout(dir).stateFile()) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Forgets the marker if it names {@code dir}. */
    public static void clearMarker(Path dir) {
        try {
            if (Files.exists(MARKER) && Files.readString(MARKER).strip().equals(dir.toString())) Files.delete(MARKER);
        } catch (IOException e) {
            // a stale marker is harmless: lastDir() checks the directory still holds a lab
        }
    }
}

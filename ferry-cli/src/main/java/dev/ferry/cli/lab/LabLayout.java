package dev.ferry.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where everything of one lab lives inside its work directory: the PKI, each host's config and
 * state, the controller's, the shared storage pool, the logs, the CLI config and the lab's own
 * record ({@code lab.json}). One directory per lab means cleaning up is one recursive delete, and
 * every QEMU of the lab can be found by its command line mentioning this directory.
 */
public record LabLayout(Path dir) {
    public LabLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    /** Creates the work directory; refuses a non-empty one so a lab never mixes with other files. */
    public static LabLayout create(Path dir) {
        LabLayout l = new LabLayout(dir);
        try {
            if (Files.isDirectory(l.dir)) {
                try (Stream<Path> s = Files.list(l.dir)) {
                    if (s.findAny().isPresent()) {
                        throw new LabException("the work directory " + l.dir + " is not empty; pick another --dir or remove it");
                    }
                }
            }
            for (Path p : List.of(l.dir, l.pki(), l.shared(), l.logs(), l.controllerDir())) Files.createDirectories(p);
        } catch (IOException e) {
            throw new LabException("cannot create the work directory " + l.dir + ": " + e.getMessage());
        }
        return l;
    }

    public Path stateFile() { return dir.resolve("lab.json"); }

    public Path cliConfig() { return dir.resolve("cli.yaml"); }

    public Path pki() { return dir.resolve("pki"); }

    public Path caDir() { return pki().resolve("ca"); }

    public Path identity(String name) { return pki().resolve(name); }

    public Path clientIdentity() { return identity("demo-client"); }

    public Path hostDir(String host) { return dir.resolve("hosts").resolve(host); }

    public Path agentConfig(String host) { return hostDir(host).resolve("agent.yaml"); }

    public Path hostState(String host) { return hostDir(host).resolve("state"); }

    /** The agent's default serial log of a VM (see the agent's VmRepository). */
    public Path serialLog(String host, String vm) { return hostState(host).resolve("vms").resolve(vm).resolve("serial.log"); }

    public Path controllerDir() { return dir.resolve("controller"); }

    public Path serverConfig() { return controllerDir().resolve("server.yaml"); }

    public Path controllerState() { return controllerDir().resolve("state"); }

    /** The storage pool both agents mark {@code shared}: the lab's stand-in for shared storage. */
    public Path shared() { return dir.resolve("shared"); }

    public Path logs() { return dir.resolve("logs"); }

    public Path log(String process) { return logs().resolve(process + ".log"); }
}

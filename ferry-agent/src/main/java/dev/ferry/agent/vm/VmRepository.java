package dev.ferry.agent.vm;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * VM definitions on disk, one directory per VM under the agent's state directory:
 * {@code vms/NAME/spec.json} (written atomically, so a crash never leaves half a spec),
 * {@code vms/NAME/run/} (QMP socket, pidfile, QEMU log) and {@code vms/NAME/serial.log}.
 * The files are the source of truth that lets a restarted agent find its VMs again.
 */
public final class VmRepository {
    private static final String TEMPLATE_MARK = "template";

    private final Path root;

    public VmRepository(Path stateDir) {
        this.root = stateDir.resolve("vms");
    }

    public Path vmDir(String name) { return root.resolve(name); }

    public Path runDir(String name) { return vmDir(name).resolve("run"); }

    public Path defaultSerialLog(String name) { return vmDir(name).resolve("serial.log"); }

    public boolean exists(String name) { return Files.isRegularFile(specFile(name)); }

    public Optional<VmSpec> find(String name) {
        Path f = specFile(name);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(Json.mapper().readValue(f.toFile(), VmSpec.class));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read definition of '" + name + "': " + e.getMessage());
        }
    }

    public List<VmSpec> all() {
        List<VmSpec> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.sorted().forEach(d -> find(d.getFileName().toString()).ifPresent(out::add));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot list " + root + ": " + e.getMessage());
        }
        return out;
    }

    public void save(VmSpec spec) {
        try {
            Files.createDirectories(runDir(spec.name()));
            Path tmp = vmDir(spec.name()).resolve("spec.json.tmp");
            Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
            try {
                Files.move(tmp, specFile(spec.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, specFile(spec.name()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot save definition of '" + spec.name() + "': " + e.getMessage());
        }
    }

    /** Removes the definition and run files; never touches disk images. */
    public void delete(String name) {
        Path dir = vmDir(name);
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot delete definition of '" + name + "': " + e.getMessage());
        }
    }

    /** True if the VM is a template: it is never started, new VMs are deployed from it. */
    public boolean isTemplate(String name) { return Files.isRegularFile(vmDir(name).resolve(TEMPLATE_MARK)); }

    /** Marks a defined VM as a template (an empty marker file next to its spec); there is no way back. */
    public void markTemplate(String name) {
        try {
            Files.write(vmDir(name).resolve(TEMPLATE_MARK), new byte[0]);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot mark '" + name + "' as a template: " + e.getMessage());
        }
    }

    private Path specFile(String name) { return vmDir(name).resolve("spec.json"); }
}

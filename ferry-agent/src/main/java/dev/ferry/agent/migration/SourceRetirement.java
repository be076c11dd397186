package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.RetireRequest;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a VM on its source after a cold migration: the VM must be shut off here; its
 * definition is removed and, when asked, its disk images are deleted, but only images inside one
 * of this host's pools that is not shared (an image on shared storage is the destination's image
 * too, and a file outside every pool is not Ferry's to delete).
 */
final class SourceRetirement {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRetirement.class);

    private final AgentConfig config;
    private final VmManager vms;

    SourceRetirement(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
    }

    List<String> retire(String name, RetireRequest req) {
        return vms.locks().with(name, () -> {
            VmSpec spec = vms.spec(name);
            if (Runtimes.find(vms, name).isPresent()) {
                throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + name + "' runs on " + config.name()
                        + "; only a shut-off VM can be retired");
            }
            vms.undefine(name);
            List<String> deleted = new ArrayList<>();
            if (req != null && req.deleteDisks()) {
                for (DiskSpec d : spec.disks()) {
                    Path image = Path.of(d.path()).toAbsolutePath().normalize();
                    Optional<AgentConfig.Pool> pool = poolOf(image);
                    if (pool.isEmpty() || pool.get().isShared()) {
                        LOG.info("{}: kept {} of retired {} ({})", config.name(), image, name,
                                pool.isEmpty() ? "outside every pool" : "on shared pool " + pool.get().name());
                        continue;
                    }
                    try {
                        if (Files.deleteIfExists(image)) deleted.add(image.toString());
                    } catch (IOException e) {
                        throw new FerryException(ErrorCode.IO_ERROR, "VM '" + name + "' is undefined on " + config.name()
                                + " but its image " + image + " could not be deleted: " + e.getMessage(), e);
                    }
                }
            }
            LOG.info("{}: retired {} (deleted images: {})", config.name(), name, deleted);
            return deleted;
        });
    }

    /**
     * Deletes leftover images of a failed cold migration: each must be an absolute path inside a pool
     * of this host that is not shared, and no VM defined here may use it; anything else is refused
     * before a file is touched.
     */
    List<String> discardImages(DiscardImagesRequest req) {
        List<Path> images = new ArrayList<>();
        for (String p : req.paths()) {
            Path image = Path.of(p).toAbsolutePath().normalize();
            Optional<AgentConfig.Pool> pool = poolOf(image);
            if (!Path.of(p).isAbsolute() || pool.isEmpty() || pool.get().isShared()) {
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, p + " is not inside a pool of " + config.name()
                        + " that only this host uses; Ferry deletes nothing else");
            }
            for (VmSpec spec : vms.repository().all()) {
                for (DiskSpec d : spec.disks()) {
                    if (Path.of(d.path()).toAbsolutePath().normalize().equals(image)) {
                        throw new FerryException(ErrorCode.INVALID_STATE, image + " is a disk of VM '" + spec.name() + "' on "
                                + config.name() + "; it is not a leftover");
                    }
                }
            }
            images.add(image);
        }
        List<String> deleted = new ArrayList<>();
        for (Path image : images) {
            try {
                if (Files.isRegularFile(image) && Files.deleteIfExists(image)) deleted.add(image.toString());
            } catch (IOException e) {
                throw new FerryException(ErrorCode.IO_ERROR, "cannot delete " + image + " on " + config.name() + ": " + e.getMessage(), e);
            }
        }
        LOG.info("{}: discarded leftover images of migration {}: {}", config.name(), req.migrationId(), deleted);
        return deleted;
    }

    private Optional<AgentConfig.Pool> poolOf(Path image) {
        return config.pools().stream()
                .filter(p -> image.startsWith(Path.of(p.path()).toAbsolutePath().normalize())).findFirst();
    }
}

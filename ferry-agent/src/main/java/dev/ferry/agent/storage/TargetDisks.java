package dev.ferry.agent.storage;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.TargetDisksRequest;
import dev.ferry.api.storage.TargetDisksResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the empty target images a migration destination receives local disks into: same virtual
 * size as the source disk, in the chosen pool, in the chosen format (or the disk's own), named
 * after the source image. All or nothing: if one image cannot be made, those already made are
 * removed. Existing files are never overwritten: if the name is taken (e.g. by a leftover of an
 * attempt a controller crash interrupted), the image gets a numbered name instead.
 */
final class TargetDisks {
    private static final Logger LOG = LoggerFactory.getLogger(TargetDisks.class);

    private final AgentConfig config;
    private final VmManager vms;
    private final Pools pools;

    TargetDisks(AgentConfig config, VmManager vms, Pools pools) {
        this.config = config;
        this.vms = vms;
        this.pools = pools;
    }

    TargetDisksResponse create(TargetDisksRequest req) {
        if (req == null || req.spec() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "target disks need the VM's spec");
        SpecValidator.validate(req.spec());
        VmSpec spec = req.spec();
        AgentConfig.Pool pool = pools.byName(req.pool());
        vms.repository().find(spec.name()).ifPresent(existing -> {
            if (spec.uuid() == null || !spec.uuid().equalsIgnoreCase(String.valueOf(existing.uuid()))) {
                throw new FerryException(ErrorCode.VM_EXISTS, "another VM named '" + spec.name() + "' is already defined on " + config.name());
            }
        });
        for (Map.Entry<String, Long> e : req.sizes().entrySet()) {
            if (spec.disks().stream().noneMatch(d -> d.id().equals(e.getKey()))) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "VM '" + spec.name() + "' has no disk '" + e.getKey() + "'");
            }
            if (e.getValue() == null || e.getValue() <= 0) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "disk '" + e.getKey() + "' needs a positive size");
            }
        }
        List<Path> created = new ArrayList<>();
        List<DiskSpec> disks = new ArrayList<>();
        try {
            for (DiskSpec d : spec.disks()) {
                Long size = req.sizes().get(d.id());
                if (size == null) {
                    disks.add(d);
                    continue;
                }
                DiskFormat format = req.format() == null ? d.format() : req.format();
                String fileName = Pools.fileNameFor(Path.of(d.path()).getFileName().toString(), d.format(), format);
                Path target = pools.newUniqueImage(pool, fileName);
                ImageCommands.create(target, format, size);
                created.add(target);
                disks.add(new DiskSpec(d.id(), target.toString(), format, d.bus(), d.cache()));
            }
        } catch (RuntimeException e) {
            for (Path p : created) deleteQuietly(p);
            throw e;
        }
        LOG.info("{}: created target images {} for migration {} of {}", config.name(), created, req.migrationId(), spec.name());
        return new TargetDisksResponse(spec.withDisks(disks), created.stream().map(Path::toString).toList());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.getMessage());
        }
    }
}

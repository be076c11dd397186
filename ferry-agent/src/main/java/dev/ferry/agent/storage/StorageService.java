package dev.ferry.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.MoveDiskResult;
import dev.ferry.api.storage.TargetDisksRequest;
import dev.ferry.api.storage.TargetDisksResponse;
import dev.ferry.api.storage.VmDisks;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage operations of one host, one method per API route: a VM's disks, moving a disk between
 * pools ({@link DiskMove}), clones and templates ({@link VmClone}), target images for an incoming
 * migration ({@link TargetDisks}) and deleting images ({@link ImageGuard}).
 */
public final class StorageService {
    private static final Logger LOG = LoggerFactory.getLogger(StorageService.class);

    private final AgentConfig config;
    private final VmManager vms;
    private final Pools pools;
    private final ImageGuard guard;
    private final DiskMove move;
    private final VmClone clone;
    private final TargetDisks targets;
    private final QemuImg qemuImg = QemuImg.system();

    /** {@code health}: what the guest's console says now (the migration service reads it). */
    public StorageService(AgentConfig config, VmManager vms, Function<String, GuestHealth> health) {
        this.config = config;
        this.vms = vms;
        this.pools = new Pools(config);
        this.guard = new ImageGuard(pools, vms.repository(), qemuImg);
        this.move = new DiskMove(config, vms, pools, guard, health, this::info);
        this.clone = new VmClone(config, vms, pools);
        this.targets = new TargetDisks(config, vms, pools);
    }

    public VmDisks disks(String vm) {
        VmSpec spec = vms.spec(vm);
        return new VmDisks(vm, config.name(), vms.repository().isTemplate(vm), spec.disks().stream().map(this::info).toList());
    }

    public MoveDiskResult move(String vm, String disk, MoveDiskRequest req) { return move.move(vm, disk, req); }

    public VmInfo clone(String vm, CloneRequest req) { return clone.clone(vm, req, false); }

    public VmInfo deploy(String template, CloneRequest req) { return clone.clone(template, req, true); }

    /** Marks a stopped VM as a template and makes its images read-only: they become the bases of linked deployments. */
    public VmDisks markTemplate(String vm) {
        vms.locks().with(vm, () -> {
            VmInfo info = vms.show(vm);
            if (info.state().hasProcess()) {
                throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + vm + "' is " + info.state().json() + " on " + config.name()
                        + "; stop it before making it a template");
            }
            vms.repository().markTemplate(vm);
            for (DiskSpec d : info.spec().disks()) VmClone.readOnly(Path.of(d.path()));
            LOG.info("{}: {} is now a template", config.name(), vm);
            return null;
        });
        return disks(vm);
    }

    public TargetDisksResponse createTargets(TargetDisksRequest req) { return targets.create(req); }

    public List<String> delete(DeleteImagesRequest req) {
        if (req == null || req.paths().isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "name the images to delete");
        List<String> deleted = guard.deleteAll(req.paths());
        LOG.info("{}: deleted images {}", config.name(), deleted);
        return deleted;
    }

    DiskInfo info(DiskSpec d) {
        Path p = Path.of(d.path());
        String pool = pools.of(p).map(AgentConfig.Pool::name).orElse(null);
        if (!Files.isRegularFile(p)) return new DiskInfo(d.id(), d.path(), d.format(), 0, 0, pool, null);
        JsonNode info = qemuImg.info(p, d.format());
        return new DiskInfo(d.id(), d.path(), d.format(), info.path("virtual-size").asLong(), info.path("actual-size").asLong(),
                pool, info.hasNonNull("full-backing-filename") ? info.get("full-backing-filename").asText() : null);
    }
}

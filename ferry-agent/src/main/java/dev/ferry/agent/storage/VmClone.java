package dev.ferry.agent.storage;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clones a VM on its host, stopped or running, and deploys VMs from templates. The clone is a new
 * VM: its own name, a new uuid and new MACs (left empty here, so {@link VmManager#define} makes
 * them), its own serial log, and disks of its own:
 *
 * <ul>
 *   <li><b>Full clone of a running VM</b>: one QMP {@code transaction} of {@code blockdev-backup
 *       sync=full} jobs, one per disk, into new images opened in the source's QEMU. Backup is
 *       copy-before-write: every disk is copied as it was at the instant of the transaction while the
 *       guest keeps running and writing, and all disks share that instant (crash-consistent, as if
 *       the power had been cut then; there is no guest agent to quiesce file systems). Chosen over
 *       snapshots because it leaves the source's own disk chain untouched.</li>
 *   <li><b>Linked clone</b>: each clone disk is a qcow2 overlay ({@code -b BASE -F FMT}) on the
 *       source image, which must then never change again. A template never runs, so its images are
 *       used as bases directly. A VM that is not a template is first moved onto overlays of its own
 *       (offline with {@code qemu-img create}, live with one {@code transaction} of
 *       {@code blockdev-snapshot}), so its current images become read-only bases it shares with the
 *       clone; its spec then names the overlays.</li>
 *   <li><b>Full clone of a stopped VM</b>: {@code qemu-img convert}, which also flattens a chain.</li>
 * </ul>
 *
 * On failure the images made so far are removed and the source is as before, except that a source
 * already moved onto its overlays stays on them (a consistent state; its spec says so).
 */
final class VmClone {
    private static final Logger LOG = LoggerFactory.getLogger(VmClone.class);
    private static final long MIN_COPY_RATE = 4L << 20;

    private final AgentConfig config;
    private final VmManager vms;
    private final Pools pools;

    VmClone(AgentConfig config, VmManager vms, Pools pools) {
        this.config = config;
        this.vms = vms;
        this.pools = pools;
    }

    VmInfo clone(String source, CloneRequest req, boolean deploy) {
        validate(req);
        if (deploy && !vms.repository().isTemplate(source)) {
            vms.spec(source);
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + source + "' is not a template; mark it with 'ferry vm template'"
                    + " or clone it instead");
        }
        return vms.locks().with(source, () -> {
            if (vms.repository().exists(req.name())) {
                throw new FerryException(ErrorCode.VM_EXISTS, "VM '" + req.name() + "' is already defined on " + config.name());
            }
            long t0 = System.nanoTime();
            VmSpec spec = vms.spec(source);
            boolean template = vms.repository().isTemplate(source);
            Optional<VmRuntime> rt = running(source);
            if (rt.isPresent() && rt.get().state() != VmState.RUNNING && rt.get().state() != VmState.PAUSED) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + source + "' is " + rt.get().state().json()
                        + "; only a running, paused or stopped VM can be cloned");
            }
            List<DiskSpec> targets = targets(spec, req);
            List<Path> made = new ArrayList<>();
            try {
                if (!req.isLinked()) {
                    if (rt.isPresent()) backupRunning(rt.get().qmp(), spec, targets, made);
                    else copyStopped(spec, targets, made);
                } else {
                    List<DiskSpec> bases = template ? spec.disks() : freeze(source, spec, rt);
                    for (int i = 0; i < bases.size(); i++) {
                        DiskSpec base = bases.get(i);
                        Path overlay = Path.of(targets.get(i).path());
                        ImageCommands.createOverlay(overlay, Path.of(base.path()), base.format(), virtualSize(base), false);
                        made.add(overlay);
                    }
                }
                VmInfo info = vms.define(cloneSpec(spec, req.name(), targets));
                LOG.info("{}: {} {} {} as {} in {} ms", config.name(), deploy ? "deployed" : "cloned", rt.isPresent() ? "running" : "stopped",
                        source, req.name() + (req.isLinked() ? " (linked)" : " (full)"), (System.nanoTime() - t0) / 1_000_000);
                return info;
            } catch (RuntimeException e) {
                for (Path p : made) deleteQuietly(p);
                throw e;
            }
        });
    }

    /** The clone's disks: same ids, bus and cache; new images named after the clone. */
    private List<DiskSpec> targets(VmSpec spec, CloneRequest req) {
        List<DiskSpec> out = new ArrayList<>();
        for (DiskSpec d : spec.disks()) {
            AgentConfig.Pool home = pools.of(Path.of(d.path())).orElseThrow(() -> new FerryException(ErrorCode.UNSAFE_IMAGE,
                    "disk '" + d.id() + "' (" + d.path() + ") is not inside a storage pool of " + config.name()));
            AgentConfig.Pool pool = req.pool() == null ? home : pools.byName(req.pool());
            if (req.isLinked() && !pool.name().equals(home.name())) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a linked clone's disk must be in its base's pool ('" + home.name()
                        + "'), because Ferry refuses backing files outside an image's pool");
            }
            DiskFormat format = req.isLinked() ? DiskFormat.QCOW2 : d.format();
            Path p = pools.newImage(pool, req.name() + "-" + d.id() + Pools.extension(format));
            out.add(new DiskSpec(d.id(), p.toString(), format, d.bus(), d.cache()));
        }
        return out;
    }

    /**
     * Full copy of a running VM's disks at one instant: a transaction of blockdev-backup jobs
     * (completion-mode grouped: if one fails, all are cancelled).
     */
    private void backupRunning(QmpClient qmp, VmSpec spec, List<DiskSpec> targets, List<Path> made) {
        Set<String> names = BlockNodes.names(qmp);
        List<String> added = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        List<Map<String, Object>> actions = new ArrayList<>();
        long bytes = 0;
        try {
            for (int i = 0; i < spec.disks().size(); i++) {
                DiskSpec d = spec.disks().get(i);
                DiskSpec t = targets.get(i);
                String source = BlockNodes.current(qmp, d);
                long size = BlockNodes.virtualSize(qmp, source);
                bytes += size;
                ImageCommands.create(Path.of(t.path()), t.format(), size);
                made.add(Path.of(t.path()));
                String fileNode = BlockNodes.freeName(names, "clf", d.id());
                String fmtNode = BlockNodes.freeName(names, "cl", d.id());
                BlockNodes.addImage(qmp, Path.of(t.path()), t.format(), null, fileNode, fmtNode, true);
                added.add(fmtNode);
                added.add(fileNode);
                String job = "clone-" + d.id();
                jobs.add(job);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("job-id", job);
                data.put("device", source);
                data.put("target", fmtNode);
                data.put("sync", "full");
                data.put("auto-dismiss", false);
                actions.add(Map.of("type", "blockdev-backup", "data", data));
            }
            for (String j : jobs) BlockJobs.cancelAndDismiss(qmp, j, true, Duration.ofSeconds(30)); // leftovers
            qmp.execute("transaction", Map.of("actions", actions, "properties", Map.of("completion-mode", "grouped")));
            BlockJobs.awaitConcluded(qmp, jobs, Duration.ofSeconds(120 + bytes / MIN_COPY_RATE));
        } finally {
            for (String j : jobs) {
                try {
                    BlockJobs.cancelAndDismiss(qmp, j, true, Duration.ofSeconds(30));
                } catch (RuntimeException e) {
                    LOG.warn("{}: backup job {} stays: {}", config.name(), j, e.getMessage());
                }
            }
            for (String n : added) {
                try {
                    BlockNodes.deleteQuietly(qmp, n);
                } catch (RuntimeException e) {
                    LOG.warn("{}: clone target node {} stays: {}", config.name(), n, e.getMessage());
                }
            }
        }
    }

    private static void copyStopped(VmSpec spec, List<DiskSpec> targets, List<Path> made) {
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            DiskSpec t = targets.get(i);
            made.add(Path.of(t.path()));
            ImageCommands.convert(Path.of(d.path()), d.format(), Path.of(t.path()), t.format());
        }
    }

    /**
     * Moves a (non-template) source onto new qcow2 overlays so its current images become read-only
     * bases; returns the bases. Live: one transaction of blockdev-snapshot (all disks at one instant).
     */
    private List<DiskSpec> freeze(String name, VmSpec spec, Optional<VmRuntime> rt) {
        List<DiskSpec> bases = new ArrayList<>(spec.disks());
        List<DiskSpec> overlays = new ArrayList<>();
        List<Path> made = new ArrayList<>();
        String stamp = Long.toString(System.currentTimeMillis() / 1000, 36);
        try {
            for (DiskSpec d : bases) {
                AgentConfig.Pool pool = pools.of(Path.of(d.path())).orElseThrow();
                Path overlay = pools.newImage(pool, name + "-" + d.id() + "-" + stamp + ".qcow2");
                long size = rt.isPresent() ? BlockNodes.virtualSize(rt.get().qmp(), BlockNodes.current(rt.get().qmp(), d)) : virtualSize(d);
                ImageCommands.createOverlay(overlay, Path.of(d.path()), d.format(), size, rt.isPresent());
                made.add(overlay);
                overlays.add(new DiskSpec(d.id(), overlay.toString(), DiskFormat.QCOW2, d.bus(), d.cache()));
            }
            if (rt.isPresent()) snapshotRunning(rt.get().qmp(), bases, overlays);
        } catch (RuntimeException e) {
            for (Path p : made) deleteQuietly(p);
            throw e;
        }
        vms.repository().save(spec.withDisks(overlays));
        for (DiskSpec b : bases) readOnly(Path.of(b.path()));
        LOG.info("{}: {} now writes to overlays {}; its images {} are read-only bases", config.name(), name,
                overlays.stream().map(DiskSpec::path).toList(), bases.stream().map(DiskSpec::path).toList());
        return bases;
    }

    private void snapshotRunning(QmpClient qmp, List<DiskSpec> bases, List<DiskSpec> overlays) {
        Set<String> names = BlockNodes.names(qmp);
        List<String> added = new ArrayList<>();
        List<Map<String, Object>> actions = new ArrayList<>();
        try {
            for (int i = 0; i < bases.size(); i++) {
                DiskSpec o = overlays.get(i);
                String fileNode = BlockNodes.freeName(names, "ovf", o.id());
                String fmtNode = BlockNodes.freeName(names, "ov", o.id());
                BlockNodes.addImage(qmp, Path.of(o.path()), DiskFormat.QCOW2, o.cache(), fileNode, fmtNode, true);
                added.add(fmtNode);
                added.add(fileNode);
                actions.add(Map.of("type", "blockdev-snapshot", "data",
                        Map.of("node", BlockNodes.current(qmp, bases.get(i)), "overlay", fmtNode)));
            }
            qmp.execute("transaction", Map.of("actions", actions));
        } catch (RuntimeException e) {
            for (String n : added) {
                try {
                    BlockNodes.deleteQuietly(qmp, n);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private static VmSpec cloneSpec(VmSpec s, String name, List<DiskSpec> disks) {
        List<NicSpec> nics = s.nics().stream().map(n -> n.withMac(null)).toList();
        return new VmSpec(name, null, s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(), disks, nics, null);
    }

    private long virtualSize(DiskSpec d) {
        return dev.ferry.qemu.img.QemuImg.system().info(Path.of(d.path()), d.format()).path("virtual-size").asLong();
    }

    private Optional<VmRuntime> running(String name) {
        try {
            return Optional.of(vms.requireRunning(name));
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_RUNNING) return Optional.empty();
            throw e;
        }
    }

    private static void validate(CloneRequest req) {
        if (req == null || req.name() == null || !SpecValidator.NAME.matcher(req.name()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the new VM needs a name matching " + SpecValidator.NAME.pattern());
        }
    }

    /** Drops the write permission bits: a base image must never change again (root still could; this is a guard rail). */
    static void readOnly(Path p) {
        try {
            Set<PosixFilePermission> perms = new java.util.HashSet<>(Files.getPosixFilePermissions(p));
            perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot make {} read-only: {}", p, e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.getMessage());
        }
    }
}

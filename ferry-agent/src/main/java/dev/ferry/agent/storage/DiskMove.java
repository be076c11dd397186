package dev.ferry.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.MoveDiskResult;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.launch.QemuCommandLine;
import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one disk of a VM to another pool of the same host, optionally changing its format
 * (raw &lt;-&gt; qcow2). A running VM keeps running: the new image is opened in its QEMU, mirrored from
 * the old one and then pivoted to:
 *
 * <pre>
 * qemu-img create -f FMT NEW SIZE
 * blockdev-add {driver: file, filename: NEW, node-name: mvfN-ID}; blockdev-add {driver: FMT, file: mvfN-ID, node-name: mvN-ID}
 * blockdev-mirror {job-id: move-ID, device: &lt;current node&gt;, target: mvN-ID, sync: full, copy-mode: write-blocking}
 * BLOCK_JOB_READY -> block-job-complete {device: move-ID}   (the guest device now uses mvN-ID)
 * blockdev-del the old nodes
 * </pre>
 *
 * The VM's stored spec is switched to the new image right after the pivot. The old image is deleted
 * only after the guest's own disk worker (if it runs) has reported new good records from the new
 * image, QEMU reports no I/O error, and no other VM uses the old file (e.g. as a linked clone's
 * base). A stopped VM's disk is copied with {@code qemu-img convert}, compared, and then switched.
 * Until the pivot, a failure removes the new image and leaves the VM on its old one.
 */
final class DiskMove {
    private static final Logger LOG = LoggerFactory.getLogger(DiskMove.class);
    private static final Duration HEALTH_WAIT = Duration.ofSeconds(30);
    private static final long MIN_COPY_RATE = 4L << 20;

    private final AgentConfig config;
    private final VmManager vms;
    private final Pools pools;
    private final ImageGuard guard;
    private final Function<String, GuestHealth> health;
    private final Function<DiskSpec, DiskInfo> info;

    DiskMove(AgentConfig config, VmManager vms, Pools pools, ImageGuard guard, Function<String, GuestHealth> health,
             Function<DiskSpec, DiskInfo> info) {
        this.config = config;
        this.vms = vms;
        this.pools = pools;
        this.guard = guard;
        this.health = health;
        this.info = info;
    }

    MoveDiskResult move(String name, String diskId, MoveDiskRequest req) {
        if (req == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "say which pool to move the disk to");
        AgentConfig.Pool pool = pools.byName(req.pool());
        return vms.locks().with(name, () -> {
            long t0 = System.nanoTime();
            VmSpec spec = vms.spec(name);
            DiskSpec d = spec.disks().stream().filter(x -> x.id().equals(diskId)).findFirst().orElseThrow(() ->
                    new FerryException(ErrorCode.NOT_FOUND, "VM '" + name + "' has no disk '" + diskId + "'"));
            DiskFormat format = req.format() == null ? d.format() : req.format();
            Path old = Path.of(d.path());
            boolean samePool = pools.of(old).map(p -> p.name().equals(pool.name())).orElse(false);
            if (samePool && format == d.format()) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "disk '" + diskId + "' of '" + name + "' already is a "
                        + format.json() + " image in pool '" + pool.name() + "'");
            }
            DiskInfo before = info.apply(d);
            Path target = pools.newImage(pool, Pools.fileNameFor(old.getFileName().toString(), d.format(), format));
            DiskSpec moved = new DiskSpec(d.id(), target.toString(), format, d.bus(), d.cache());
            Optional<VmRuntime> rt = running(name);
            if (rt.isPresent() && rt.get().state() != VmState.RUNNING && rt.get().state() != VmState.PAUSED) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is " + rt.get().state().json() + " on "
                        + config.name() + "; its disks move only while it runs, is paused or is stopped");
            }
            if (rt.isPresent()) {
                pivot(rt.get().qmp(), d, moved, before.virtualSize());
            } else {
                copyStopped(d, moved);
            }
            vms.repository().save(replace(spec, moved));
            LOG.info("{}: disk {} of {} now is {} ({}), was {} ({})", config.name(), diskId, name, target, format.json(), old,
                    d.format().json());
            if (rt.isPresent()) {
                removeOldNodes(rt.get().qmp(), old, moved);
                requireHealthy(name, rt.get(), moved, old);
            }
            Optional<String> keep = guard.refusal(old);
            if (keep.isEmpty()) deleteFile(old);
            DiskInfo after = info.apply(moved);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new MoveDiskResult(name, before, after, rt.isPresent(), ms, keep.isEmpty(),
                    keep.map(k -> "old image kept: " + k).orElse(null));
        });
    }

    /** Mirror into the new image and pivot to it; on failure before the pivot, the new image is removed. */
    private void pivot(QmpClient qmp, DiskSpec d, DiskSpec moved, long size) {
        String source = BlockNodes.current(qmp, d);
        Path target = Path.of(moved.path());
        ImageCommands.create(target, moved.format(), BlockNodes.virtualSize(qmp, source));
        Set<String> names = BlockNodes.names(qmp);
        String fileNode = BlockNodes.freeName(names, "mvf", d.id());
        String fmtNode = BlockNodes.freeName(names, "mv", d.id());
        String job = "move-" + d.id();
        boolean added = false;
        try {
            BlockJobs.cancelAndDismiss(qmp, job, true, Duration.ofSeconds(30)); // a leftover of an earlier attempt
            BlockNodes.addImage(qmp, target, moved.format(), moved.cache(), fileNode, fmtNode, true);
            added = true;
            Map<String, Object> mirror = new LinkedHashMap<>();
            mirror.put("job-id", job);
            mirror.put("device", source);
            mirror.put("target", fmtNode);
            mirror.put("sync", "full");
            mirror.put("copy-mode", "write-blocking");
            mirror.put("auto-dismiss", false);
            qmp.execute("blockdev-mirror", mirror);
            BlockJobs.awaitReady(qmp, List.of(job), Duration.ofSeconds(120 + size / MIN_COPY_RATE));
            qmp.execute("block-job-complete", Map.of("device", job));
            BlockJobs.awaitConcluded(qmp, List.of(job), Duration.ofSeconds(120));
            BlockJobs.dismiss(qmp, job);
        } catch (RuntimeException e) {
            try {
                BlockJobs.cancelAndDismiss(qmp, job, true, Duration.ofSeconds(30));
                if (added && !fmtNode.equals(BlockNodes.current(qmp, d))) {
                    BlockNodes.deleteQuietly(qmp, fmtNode);
                    BlockNodes.deleteQuietly(qmp, fileNode);
                }
                if (!fmtNode.equals(BlockNodes.current(qmp, d))) deleteFile(target);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        String now = BlockNodes.current(qmp, d);
        if (!fmtNode.equals(now)) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "the mirror of disk '" + d.id() + "' completed but the device still"
                    + " uses node " + now + "; the new image " + target + " is left in place");
        }
    }

    /** Drops the nodes of the old image that QEMU no longer needs (best effort: a leftover only holds a file open). */
    private void removeOldNodes(QmpClient qmp, Path old, DiskSpec moved) {
        try {
            List<String[]> nodes = new ArrayList<>();
            for (JsonNode n : qmp.execute("query-named-block-nodes", Map.of("flat", true))) {
                String node = n.path("node-name").asText();
                if (old.toString().equals(n.path("file").asText()) && !node.startsWith("#")) {
                    nodes.add(new String[] {node, n.path("drv").asText()});
                }
            }
            nodes.sort((a, b) -> Boolean.compare("file".equals(a[1]), "file".equals(b[1]))); // format nodes first
            for (String[] n : nodes) {
                try {
                    BlockNodes.deleteQuietly(qmp, n[0]);
                } catch (RuntimeException e) {
                    LOG.debug("{}: node {} of the old image stays: {}", config.name(), n[0], e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot remove the old block nodes of {}: {}", config.name(), old, e.getMessage());
        }
    }

    /**
     * After the pivot: QEMU reports no I/O error on the device and, if the guest runs Ferry's disk
     * worker, the worker writes and verifies new records. Throws (keeping the old image) otherwise.
     */
    private void requireHealthy(String name, VmRuntime rt, DiskSpec moved, Path old) {
        String kept = "; the VM now uses " + moved.path() + " and the old image " + old + " is kept";
        GuestHealth h0 = health.apply(name);
        boolean expectProgress = rt.state() == VmState.RUNNING && h0.diskSeq() != null; // a paused guest writes nothing
        long deadline = System.nanoTime() + HEALTH_WAIT.toNanos();
        while (true) {
            String io = ioStatus(rt.qmp(), moved);
            if (!"ok".equals(io)) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU reports I/O status '" + io + "' on disk '" + moved.id() + "'" + kept);
            }
            GuestHealth h = health.apply(name);
            if (!h.ok()) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "the guest reports a problem after the disk move: " + h.lastLine() + kept);
            }
            if (!expectProgress || (h.diskSeq() != null && h.diskSeq() > h0.diskSeq())) return;
            if (System.nanoTime() > deadline) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "the guest's disk worker reported nothing new within "
                        + HEALTH_WAIT.toSeconds() + " s after the disk move (last seq " + h.diskSeq() + ")" + kept);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.INTERNAL, "interrupted while checking the guest" + kept);
            }
        }
    }

    private static String ioStatus(QmpClient qmp, DiskSpec d) {
        String dev = QemuCommandLine.deviceId(d);
        for (JsonNode b : qmp.execute("query-block")) {
            String qdev = b.path("qdev").asText("");
            if (qdev.equals(dev) || qdev.startsWith("/machine/peripheral/" + dev)) return b.path("io-status").asText("ok");
        }
        return "no device";
    }

    private static void copyStopped(DiskSpec d, DiskSpec moved) {
        Path target = Path.of(moved.path());
        try {
            ImageCommands.convert(Path.of(d.path()), d.format(), target, moved.format());
            if (!ImageCommands.identical(Path.of(d.path()), d.format(), target, moved.format())) {
                throw new FerryException(ErrorCode.QEMU_FAILED, "the copy " + target + " differs from " + d.path());
            }
        } catch (RuntimeException e) {
            deleteFile(target);
            throw e;
        }
    }

    private Optional<VmRuntime> running(String name) {
        try {
            return Optional.of(vms.requireRunning(name));
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_RUNNING) return Optional.empty();
            throw e;
        }
    }

    static VmSpec replace(VmSpec spec, DiskSpec disk) {
        return spec.withDisks(spec.disks().stream().map(x -> x.id().equals(disk.id()) ? disk : x).toList());
    }

    private static void deleteFile(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.getMessage());
        }
    }
}

package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.storage.BlockJobs;
import dev.ferry.agent.storage.BlockNodes;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.MirrorRequest;
import dev.ferry.api.storage.MirrorStatus;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import dev.ferry.qemu.qmp.QmpEvent;
import dev.ferry.qemu.qmp.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's half of a live migration with local disks: each disk is mirrored into the
 * destination's NBD export while the guest runs, and the mirrors end exactly at the switchover.
 *
 * <pre>
 * blockdev-add {driver: nbd, node-name: nbd-ID, server: {type: inet, host, port}, export: ID,
 *               tls-creds: tls-nbd, tls-hostname}                                      (per disk)
 * blockdev-mirror {job-id: mirror-ID, device: &lt;the disk's node&gt;, target: nbd-ID, sync: full,
 *                  copy-mode: write-blocking, auto-dismiss: false}
 * ... all jobs ready: the memory migration starts, with capability pause-before-switchover;
 * MIGRATION {status: pre-switchover}: the guest is stopped for good here, so
 *   block-job-cancel {device: mirror-ID} on every ready job (a ready mirror that is cancelled ends
 *   in sync: the target is a copy of the source at this instant), then migrate-continue.
 * </pre>
 *
 * Ending the mirrors at {@code pre-switchover} rather than after {@code completed} matters: the
 * destination resumes the guest as soon as the migration completes, and the guest must not write
 * to its new disk while the source could still send mirror writes into it. Write-blocking copy mode
 * makes each guest write reach both sides before it completes, so the mirror converges however
 * fast the guest writes. If anything goes wrong at the switchover the migration is cancelled and
 * the guest keeps running here, on its own disks.
 */
final class DiskMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskMirror.class);
    static final String JOB_PREFIX = "mirror-";
    static final String TARGET_PREFIX = "nbd-";
    static final String TLS_ID = "tls-nbd";
    static final String PAUSE_CAPABILITY = "pause-before-switchover";
    private static final Duration JOB_END = Duration.ofSeconds(30);
    private static final long POLL_MS = 50;

    private final AgentConfig config;
    private final VmManager vms;
    /** VMs whose mirrors ended in sync at a switchover (reset when new mirrors start). */
    private final Set<String> switchedOver = ConcurrentHashMap.newKeySet();
    private final ExecutorService switchovers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mirror-switchover");
        t.setDaemon(true);
        return t;
    });

    DiskMirror(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
    }

    MirrorStatus start(String name, MirrorRequest req) {
        validate(req);
        return vms.locks().with(name, () -> {
            VmRuntime rt = vms.requireRunning(name);
            VmState state = rt.state();
            if (state != VmState.RUNNING && state != VmState.PAUSED) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is " + state.json() + " on " + config.name()
                        + "; only a running or paused guest's disks can be mirrored");
            }
            if (MigrationStatsReader.isActive(MigrationStatsReader.read(rt.qmp()))) {
                throw new FerryException(ErrorCode.VM_BUSY, "VM '" + name + "' is migrating; mirrors start before the memory transfer");
            }
            QmpClient qmp = rt.qmp();
            VmSpec spec = vms.spec(name);
            removeAll(qmp); // leftovers of an earlier attempt
            switchedOver.remove(name);
            try {
                if (req.tls()) MigrationQmp.installTlsCredentials(qmp, Path.of(config.tlsDir()), "client", TLS_ID);
                for (Map.Entry<String, String> e : req.exports().entrySet()) {
                    String id = e.getKey();
                    String source = BlockNodes.current(qmp, NbdExport.disk(spec, id));
                    qmp.execute("blockdev-add", nbdNode(req, id, e.getValue()));
                    Map<String, Object> mirror = new LinkedHashMap<>();
                    mirror.put("job-id", JOB_PREFIX + id);
                    mirror.put("device", source);
                    mirror.put("target", TARGET_PREFIX + id);
                    mirror.put("sync", "full");
                    mirror.put("copy-mode", "write-blocking");
                    mirror.put("auto-dismiss", false);
                    if (req.speedBytesPerSec() != null) mirror.put("speed", req.speedBytesPerSec());
                    qmp.execute("blockdev-mirror", mirror);
                }
            } catch (RuntimeException e) {
                try {
                    removeAll(qmp);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            LOG.info("{}: mirroring disks {} of {} to {}:{} (tls {}) for migration {}", config.name(), req.exports().keySet(), name,
                    req.host(), req.port(), req.tls(), req.migrationId());
            return status(qmp, name);
        });
    }

    MirrorStatus status(String name) {
        return Runtimes.find(vms, name).map(rt -> status(rt.qmp(), name)).orElse(new MirrorStatus(List.of(), false));
    }

    /** True if the VM has mirror jobs that have not ended. */
    boolean active(String name) {
        return Runtimes.find(vms, name).map(rt -> BlockJobs.withPrefix(rt.qmp(), JOB_PREFIX).values().stream()
                .anyMatch(j -> !BlockJobs.isConcluded(j))).orElse(false);
    }

    /**
     * Starts the memory migration through {@code start}: when mirrors run, with
     * pause-before-switchover (and migration events) added to the request's capabilities and a
     * watcher that ends the mirrors at that pause; otherwise with the request as it is, whose
     * complete settings switch the capability off, so a setting left from an earlier attempt cannot
     * stall it.
     */
    MigrationStats migrate(String name, OutgoingRequest req, Function<OutgoingRequest, MigrationStats> start) {
        boolean mirrors = active(name);
        VmRuntime rt = vms.requireRunning(name);
        Subscription watch = mirrors ? watchSwitchover(name, rt) : null;
        try {
            return start.apply(mirrors ? pausingAtSwitchover(req) : req);
        } catch (RuntimeException e) {
            if (watch != null) watch.close();
            throw e;
        }
    }

    /** The request with pause-before-switchover and its events on; the outgoing migration sets them with everything else. */
    private static OutgoingRequest pausingAtSwitchover(OutgoingRequest req) {
        Map<String, Boolean> caps = new LinkedHashMap<>(req.capabilities());
        caps.put(PAUSE_CAPABILITY, true);
        caps.put("events", true);
        return new OutgoingRequest(req.migrationId(), req.uri(), req.tls(), req.tlsHostname(), req.maxBandwidthBytes(),
                req.downtimeLimitMs(), caps, req.parameters());
    }

    /** After the switchover: the mirrors must have ended in sync; removes them and the NBD client nodes. */
    MirrorStatus finish(String name) {
        return vms.locks().with(name, () -> {
            VmRuntime rt = vms.requireRunning(name);
            QmpClient qmp = rt.qmp();
            MirrorStatus s = status(qmp, name);
            String qemu = rt.qemuStatus();
            if (!"postmigrate".equals(qemu)) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is '" + qemu + "' on " + config.name()
                        + "; the disk mirrors are finished only after the guest has been handed over");
            }
            boolean inSync = switchedOver.contains(name) && !s.jobs().isEmpty()
                    && s.jobs().stream().allMatch(j -> "concluded".equals(j.status()) && j.error() == null);
            if (!inSync) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "the disk mirrors of '" + name + "' did not end in sync at the"
                        + " switchover: " + s.jobs());
            }
            removeAll(qmp);
            LOG.info("{}: disk mirrors of {} ended in sync at the switchover and are removed", config.name(), name);
            return s;
        });
    }

    /** Ends and removes every mirror job and NBD client node of the VM; the source disks stay authoritative. */
    MirrorStatus cancel(String name) {
        return vms.locks().with(name, () -> {
            var rt = Runtimes.find(vms, name);
            if (rt.isEmpty()) return new MirrorStatus(List.of(), false);
            MirrorStatus before = status(rt.get().qmp(), name);
            removeAll(rt.get().qmp());
            switchedOver.remove(name);
            if (!before.jobs().isEmpty()) LOG.info("{}: disk mirrors of {} cancelled", config.name(), name);
            return before;
        });
    }

    /**
     * Watches the migration for QEMU's pre-switchover pause: woken at once by the MIGRATION event
     * (the {@code events} capability is switched on for this), and polling {@code query-migrate}
     * every {@value #POLL_MS} ms besides, so a lost event costs at most that much extra downtime.
     * Ends when the migration does; closing the returned subscription stops it early.
     */
    private Subscription watchSwitchover(String name, VmRuntime rt) {
        QmpClient qmp = rt.qmp();
        java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
        AtomicBoolean stopped = new AtomicBoolean();
        Subscription events = qmp.addEventListener((QmpEvent e) -> {
            if (e.is("MIGRATION")) wake.release();
        });
        switchovers.submit(() -> {
            try {
                boolean started = false; // until the new migration shows up, a final status is an earlier one's
                long giveUpAt = System.nanoTime() + 60_000_000_000L;
                while (!stopped.get()) {
                    wake.tryAcquire(POLL_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                    String status = qmp.execute("query-migrate").path("status").asText("none");
                    if ("pre-switchover".equals(status)) {
                        endAtSwitchover(name, qmp);
                        return;
                    }
                    boolean ended = status.equals("none") || Set.of("completed", "failed", "cancelled").contains(status);
                    if (!ended) started = true;
                    else if (started || System.nanoTime() > giveUpAt) return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("{}: watching the migration of {} for its switchover failed: {}", config.name(), name, e.getMessage());
            } finally {
                events.close();
            }
        });
        return () -> {
            stopped.set(true);
            events.close();
        };
    }

    /** Runs at the pre-switchover pause: the guest no longer runs anywhere, so cancelled mirrors end in sync. */
    private void endAtSwitchover(String name, QmpClient qmp) {
        long t0 = System.nanoTime();
        try {
            Map<String, JsonNode> jobs = BlockJobs.withPrefix(qmp, JOB_PREFIX);
            if (jobs.isEmpty()) throw new FerryException(ErrorCode.MIGRATION_FAILED, "no disk mirror runs at the switchover");
            for (Map.Entry<String, JsonNode> j : jobs.entrySet()) {
                if (!BlockJobs.isReady(j.getValue()) || BlockJobs.error(j.getValue()) != null) {
                    throw new FerryException(ErrorCode.MIGRATION_FAILED, "disk mirror " + j.getKey() + " is not in sync at the"
                            + " switchover (" + j.getValue().path("status").asText() + ")");
                }
            }
            for (String id : jobs.keySet()) qmp.execute("block-job-cancel", Map.of("device", id));
            BlockJobs.awaitConcluded(qmp, jobs.keySet(), JOB_END);
            switchedOver.add(name);
            qmp.execute("migrate-continue", Map.of("state", "pre-switchover"));
            LOG.info("{}: disk mirrors of {} ended in sync at the switchover ({} ms); migration continues", config.name(), name,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            switchedOver.remove(name);
            LOG.error("{}: ending the disk mirrors of {} at the switchover failed; cancelling the migration: {}", config.name(),
                    name, e.getMessage());
            try {
                qmp.execute("migrate_cancel");
            } catch (RuntimeException cancel) {
                LOG.error("{}: migrate_cancel of {} failed too: {}", config.name(), name, cancel.getMessage());
            }
        }
    }

    private MirrorStatus status(QmpClient qmp, String name) {
        List<MirrorStatus.Job> jobs = new ArrayList<>();
        BlockJobs.withPrefix(qmp, JOB_PREFIX).forEach((id, j) -> jobs.add(new MirrorStatus.Job(id.substring(JOB_PREFIX.length()),
                id, j.path("status").asText(), j.path("len").asLong(), j.path("offset").asLong(), BlockJobs.isReady(j),
                BlockJobs.error(j))));
        return new MirrorStatus(jobs, switchedOver.contains(name));
    }

    /** Cancels (force) and dismisses every mirror job, deletes every NBD client node and the TLS object. */
    private void removeAll(QmpClient qmp) {
        for (String id : BlockJobs.withPrefix(qmp, JOB_PREFIX).keySet()) BlockJobs.cancelAndDismiss(qmp, id, true, JOB_END);
        for (String node : BlockNodes.names(qmp)) {
            if (node.startsWith(TARGET_PREFIX)) BlockNodes.deleteQuietly(qmp, node);
        }
        try {
            MigrationQmp.deleteObjectIfExists(qmp, TLS_ID);
        } catch (QmpCommandException e) {
            LOG.debug("object-del {}: {}", TLS_ID, e.description());
        }
    }

    private static Map<String, Object> nbdNode(MirrorRequest req, String id, String export) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("driver", "nbd");
        node.put("node-name", TARGET_PREFIX + id);
        node.put("server", Map.of("type", "inet", "host", req.host(), "port", String.valueOf(req.port())));
        node.put("export", export);
        if (req.tls()) {
            node.put("tls-creds", TLS_ID);
            node.put("tls-hostname", req.tlsHostname());
        }
        return node;
    }

    private static void validate(MirrorRequest req) {
        if (req == null || req.host() == null || req.host().isBlank() || req.port() < 1 || req.port() > 65535) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a mirror needs the destination's NBD host and port");
        }
        if (req.exports().isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a mirror needs at least one disk export");
        if (req.tls() && (req.tlsHostname() == null || req.tlsHostname().isBlank())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "tls needs tlsHostname: the name to check in the destination's certificate");
        }
        if (req.speedBytesPerSec() != null && req.speedBytesPerSec() <= 0) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "speedBytesPerSec must be positive");
        }
    }

    @Override
    public void close() { switchovers.shutdownNow(); }
}

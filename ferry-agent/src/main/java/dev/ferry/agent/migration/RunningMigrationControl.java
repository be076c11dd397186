package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.ResumeRequest;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steers a migration that is already running: on the source, new parameters when the transfer
 * stalls ({@link #tune}), the switch to post-copy ({@link #startPostcopy}), and the pause and
 * resume of a post-copy whose stream broke ({@link #pause}, {@link #resume}); on the destination,
 * the new listening address of such a recovery ({@link #recover}). Each step checks QEMU's
 * migration status first and refuses, changing nothing, when the migration is not in the state the
 * step is for, so a late or repeated call from the controller cannot do harm.
 */
final class RunningMigrationControl {
    private static final java.time.Duration POSTCOPY_SWITCH_WAIT = java.time.Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(RunningMigrationControl.class);
    private static final Pattern TCP_URI = Pattern.compile("tcp:(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):\\d{1,5}");
    private static final int LISTEN_ATTEMPTS = 3;

    private final AgentConfig config;
    private final VmManager vms;
    /** The address each destination QEMU listens on for its current post-copy recovery. */
    private final RecoveryAddresses recoveryUris;

    RunningMigrationControl(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
        this.recoveryUris = new RecoveryAddresses(java.nio.file.Path.of(config.stateDir()).resolve("recovery-addresses"));
    }

    MigrationStats tune(String name, MigrationTuning t) {
        if (t == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a tuning request needs a body");
        Map<String, Object> params = new LinkedHashMap<>();
        if (t.downtimeLimitMs() != null) {
            if (t.downtimeLimitMs() < 1 || t.downtimeLimitMs() > 2_000_000) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "downtimeLimitMs must be between 1 and 2000000");
            }
            params.put("downtime-limit", t.downtimeLimitMs());
        }
        if (t.maxBandwidthBytes() != null) {
            if (t.maxBandwidthBytes() <= 0) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "maxBandwidthBytes must be positive");
            params.put("max-bandwidth", t.maxBandwidthBytes());
        }
        params.putAll(MigrationParameters.checked(t.parameters()));
        if (params.isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "nothing to change");
        return vms.locks().with(name, () -> {
            QmpClient qmp = vms.requireRunning(name).qmp();
            MigrationStats now = MigrationStatsReader.read(qmp);
            if (!MigrationStatsReader.isActive(now)) {
                throw new FerryException(ErrorCode.INVALID_STATE, "no migration of '" + name + "' runs on " + config.name()
                        + " (status " + now.status() + ")");
            }
            MigrationQmp.setParameters(qmp, params);
            LOG.info("{}: migration of {} tuned: {}", config.name(), name, params);
            return MigrationStatsReader.read(qmp);
        });
    }

    MigrationStats startPostcopy(String name) {
        return vms.locks().with(name, () -> {
            QmpClient qmp = vms.requireRunning(name).qmp();
            MigrationStats now = MigrationStatsReader.read(qmp);
            if (now.isPostcopy()) return now;
            if (!"active".equals(now.status())) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the migration of '" + name + "' is " + now.status()
                        + "; post-copy can only start while pre-copy is active");
            }
            if (!capability(qmp, "postcopy-ram")) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the migration of '" + name + "' was started without the"
                        + " postcopy-ram capability; it cannot switch to post-copy");
            }
            qmp.execute("migrate-start-postcopy");
            LOG.warn("{}: migration of {} switched to post-copy: from now on the guest runs on the destination and a"
                    + " failure of either host loses it", config.name(), name);
            return awaitSwitch(qmp);
        });
    }

    /**
     * QEMU only requests the switch; the migration thread makes it at its next step. Waits (bounded)
     * until the status has left pre-copy and the device-state step of the switch, so the caller sees
     * the state it asked for.
     */
    private static MigrationStats awaitSwitch(QmpClient qmp) {
        long deadline = System.nanoTime() + POSTCOPY_SWITCH_WAIT.toNanos();
        MigrationStats s = MigrationStatsReader.read(qmp);
        while (("active".equals(s.status()) || "device".equals(s.status())) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = MigrationStatsReader.read(qmp);
        }
        return s;
    }

    MigrationStats pause(String name) {
        return vms.locks().with(name, () -> {
            QmpClient qmp = vms.requireRunning(name).qmp();
            MigrationStats now = MigrationStatsReader.read(qmp);
            if (now.status().equals("postcopy-paused")) return now;
            if (!now.status().equals("postcopy-active")) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the migration of '" + name + "' is " + now.status()
                        + "; only an active post-copy can be paused");
            }
            qmp.execute("migrate-pause");
            LOG.warn("{}: post-copy of {} paused (stream stuck); waiting for recovery", config.name(), name);
            return MigrationStatsReader.read(qmp);
        });
    }

    /** Destination: {@code migrate-recover} on a fresh port of the migration address, or the address already listening. */
    IncomingResponse recover(String name) {
        return vms.locks().with(name, () -> {
            VmRuntime rt = vms.requireRunning(name);
            QmpClient qmp = rt.qmp();
            long pid = rt.process().pid();
            String status = MigrationStatsReader.read(qmp).status();
            String address = config.migrationAddressOrListen();
            if (status.equals("postcopy-recover") || status.equals("postcopy-recover-setup")) {
                var uri = recoveryUris.of(name, pid);
                if (uri.isPresent()) return new IncomingResponse(uri.get(), address);
            }
            if (!status.equals("postcopy-paused")) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the incoming migration of '" + name + "' on " + config.name()
                        + " is " + status + ", not postcopy-paused; it cannot be recovered (yet)");
            }
            String known = recoveryUris.of(name, pid).orElse(null);
            QmpCommandException last = null;
            for (int attempt = 0; attempt < LISTEN_ATTEMPTS; attempt++) {
                String uri = FreePort.tcpUri(address, FreePort.on(address));
                try {
                    qmp.execute("migrate-recover", Map.of("uri", uri));
                    recoveryUris.record(name, pid, uri);
                    LOG.info("{}: post-copy of {} waits for the source on {}", config.name(), name, uri);
                    return new IncomingResponse(uri, address);
                } catch (QmpCommandException e) {
                    last = e;
                    if (known != null && e.description().toLowerCase().contains("already")) return new IncomingResponse(known, address);
                    LOG.warn("{}: QEMU cannot listen for the recovery of {} on {}: {}", config.name(), name, uri, e.description());
                }
            }
            throw new FerryException(ErrorCode.MIGRATION_FAILED, "QEMU on " + config.name() + " cannot listen for the recovery"
                    + " of '" + name + "': " + last.description(), last);
        });
    }

    MigrationStats resume(String name, ResumeRequest req) {
        if (req == null || req.uri() == null || !TCP_URI.matcher(req.uri()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "uri must be tcp:HOST:PORT");
        }
        return vms.locks().with(name, () -> {
            QmpClient qmp = vms.requireRunning(name).qmp();
            MigrationStats now = MigrationStatsReader.read(qmp);
            if (!now.status().equals("postcopy-paused")) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the migration of '" + name + "' is " + now.status()
                        + "; only a paused post-copy can be resumed");
            }
            try {
                qmp.execute("migrate", Map.of("uri", req.uri(), "resume", true));
            } catch (QmpCommandException e) {
                throw new FerryException(ErrorCode.MIGRATION_FAILED, "QEMU cannot resume the post-copy of '" + name + "': "
                        + e.description(), e);
            }
            LOG.info("{}: post-copy of {} resuming towards {}", config.name(), name, req.uri());
            return MigrationStatsReader.read(qmp);
        });
    }

    private static boolean capability(QmpClient qmp, String name) {
        for (JsonNode c : qmp.execute("query-migrate-capabilities")) {
            if (name.equals(c.path("capability").asText())) return c.path("state").asBoolean(false);
        }
        return false;
    }
}

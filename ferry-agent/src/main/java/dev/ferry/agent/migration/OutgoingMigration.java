package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.policy.QemuSafety;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's half of a migration: check that the VM can leave, set TLS, bandwidth, downtime and
 * capabilities, and issue QEMU's {@code migrate}, returning at once; progress is read with
 * {@link MigrationStatsReader}. It always sends the complete {@link MigrationSettings}: capabilities
 * and parameters left out of a request are set back to QEMU's defaults, so neither a retry nor the
 * next move of a VM that arrived here inherits what an earlier migration of this QEMU (as source or
 * as destination) asked for. Also cancels a running migration, which leaves the guest running here.
 */
final class OutgoingMigration {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingMigration.class);
    /** Only plain TCP streams: QEMU's {@code exec:} and {@code file:} URIs would let a caller run commands or write files here. */
    private static final Pattern TCP_URI = Pattern.compile("tcp:(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):\\d{1,5}");
    private static final long CANCEL_WAIT_MS = 5_000;

    private final AgentConfig config;
    private final VmManager vms;

    OutgoingMigration(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
    }

    MigrationStats start(String name, OutgoingRequest req) {
        validate(req);
        return vms.locks().with(name, () -> {
            VmRuntime rt = vms.requireRunning(name);
            requireCanLeave(name, rt);
            QmpClient qmp = rt.qmp();
            if (req.tls()) MigrationQmp.installTlsCredentials(qmp, Path.of(config.tlsDir()), "client");
            MigrationSettings settings = MigrationSettings.outgoing(req);
            settings.applyTo(qmp);
            qmp.execute("migrate", Map.of("uri", req.uri()));
            LOG.info("{}: migration {} of {} to {} started (tls {}, capabilities {})", config.name(), req.migrationId(), name,
                    req.uri(), req.tls(), settings.enabled());
            return MigrationStatsReader.read(qmp);
        });
    }

    /** Cancels a running migration; the guest keeps running here. Does nothing when none runs. */
    MigrationStats cancel(String name) {
        return vms.locks().with(name, () -> {
            var rt = Runtimes.find(vms, name);
            if (rt.isEmpty()) return MigrationStatsReader.none();
            QmpClient qmp = rt.get().qmp();
            MigrationStats now = MigrationStatsReader.read(qmp);
            if (!MigrationStatsReader.isActive(now)) return now;
            if (MigrationStatsReader.isPostcopy(now)) {
                throw new FerryException(ErrorCode.INVALID_STATE, "the migration of '" + name + "' is in post-copy: the guest"
                        + " already runs on the destination and this host holds only part of its memory; it cannot be cancelled");
            }
            qmp.execute("migrate_cancel");
            LOG.info("{}: migration of {} cancelled", config.name(), name);
            return awaitIdle(qmp);
        });
    }

    private static void validate(OutgoingRequest req) {
        if (req == null || req.uri() == null || !TCP_URI.matcher(req.uri()).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "uri must be tcp:HOST:PORT (got "
                    + (req == null ? "no request" : req.uri()) + ")");
        }
        if (req.tls() && (req.tlsHostname() == null || req.tlsHostname().isBlank())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "tls needs tlsHostname: the name to check in the destination's certificate");
        }
        if (req.maxBandwidthBytes() != null && req.maxBandwidthBytes() <= 0) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "maxBandwidthBytes must be positive");
        }
        if (req.downtimeLimitMs() != null && (req.downtimeLimitMs() <= 0 || req.downtimeLimitMs() > 2_000_000)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "downtimeLimitMs must be between 1 and 2000000");
        }
        MigrationSettings.outgoing(req); // refuses unknown capabilities and parameters before anything changes
    }

    private void requireCanLeave(String name, VmRuntime rt) {
        QemuSafety.requireSafeForLiveMigration(config.name(), rt.qmp().version());
        VmState state = rt.state();
        if (state == VmState.MIGRATED || state == VmState.INCOMING || state == VmState.CRASHED) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' is " + state.json() + " on " + config.name()
                    + "; only a running or paused guest can be migrated");
        }
        MigrationStats now = MigrationStatsReader.read(rt.qmp());
        if (MigrationStatsReader.isActive(now)) {
            throw new FerryException(ErrorCode.VM_BUSY, "VM '" + name + "' is already migrating (status " + now.status() + ")");
        }
    }

    private static MigrationStats awaitIdle(QmpClient qmp) {
        long deadline = System.currentTimeMillis() + CANCEL_WAIT_MS;
        MigrationStats s = MigrationStatsReader.read(qmp);
        while (MigrationStatsReader.isActive(s) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = MigrationStatsReader.read(qmp);
        }
        return s;
    }
}

package dev.ferry.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.storage.BlockNodes;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.storage.NbdExportRequest;
import dev.ferry.api.storage.NbdExportResponse;
import dev.ferry.qemu.qmp.QmpClient;
import dev.ferry.qemu.qmp.QmpCommandException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination's half of a live migration with local disks: the QEMU that waits for the memory
 * stream also serves its (empty) target disks over QEMU's built-in NBD server, writable, so the
 * source can mirror into them. Only a destination still waiting ({@code inmigrate}) may export its
 * disks: a writable export of a running guest's disk would let anyone with a cluster certificate
 * write under the guest. With TLS the server accepts only clients with a cluster certificate.
 *
 * <pre>
 * nbd-server-start {addr: {type: inet, data: {host, port}}, tls-creds: tls-nbd}
 * block-export-add {type: nbd, id: nbd-ID, node-name: disk-ID, writable: true, name: ID}   (per disk)
 * ... and at the end: block-export-del {id, mode: hard}, nbd-server-stop, object-del tls-nbd
 * </pre>
 */
final class NbdExport {
    private static final Logger LOG = LoggerFactory.getLogger(NbdExport.class);
    static final String TLS_ID = "tls-nbd";
    static final String EXPORT_PREFIX = "nbd-";
    private static final int LISTEN_ATTEMPTS = 3;

    private final AgentConfig config;
    private final VmManager vms;

    NbdExport(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
    }

    NbdExportResponse start(String name, NbdExportRequest req) {
        if (req == null || req.disks().isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "name at least one disk to export");
        return vms.locks().with(name, () -> {
            VmRuntime rt = vms.requireRunning(name);
            String status = rt.qemuStatus();
            if (!"inmigrate".equals(status)) {
                throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' on " + config.name() + " is '" + status
                        + "'; only a migration destination that still waits for its guest exports its disks");
            }
            VmSpec spec = vms.spec(name);
            QmpClient qmp = rt.qmp();
            stopQuietly(qmp);
            try {
                if (req.tls()) MigrationQmp.installTlsCredentials(qmp, Path.of(config.tlsDir()), "server", TLS_ID);
                String host = config.migrationAddressOrListen();
                int port = listen(qmp, host, req.tls());
                Map<String, String> exports = new LinkedHashMap<>();
                for (String id : req.disks()) {
                    DiskSpec d = disk(spec, id);
                    Map<String, Object> args = new LinkedHashMap<>();
                    args.put("type", "nbd");
                    args.put("id", EXPORT_PREFIX + id);
                    args.put("node-name", BlockNodes.current(qmp, d));
                    args.put("writable", true);
                    args.put("name", id);
                    qmp.execute("block-export-add", args);
                    exports.put(id, id);
                }
                LOG.info("{}: NBD server for {} on {}:{} (tls {}), exports {}", config.name(), name, host, port, req.tls(), exports.keySet());
                return new NbdExportResponse(host, port, config.migrationAddressOrListen(), req.tls(), exports);
            } catch (RuntimeException e) {
                stopQuietly(qmp);
                throw e;
            }
        });
    }

    /** Removes the exports and stops the NBD server; does nothing if none runs or the VM has no QEMU. */
    void stop(String name) {
        vms.locks().with(name, () -> {
            Runtimes.find(vms, name).ifPresent(rt -> stop(rt.qmp()));
            return null;
        });
    }

    private void stop(QmpClient qmp) {
        for (JsonNode e : qmp.execute("query-block-exports")) {
            String id = e.path("id").asText();
            if (id.startsWith(EXPORT_PREFIX)) {
                try {
                    qmp.execute("block-export-del", Map.of("id", id, "mode", "hard"));
                } catch (QmpCommandException ex) {
                    LOG.debug("block-export-del {}: {}", id, ex.description());
                }
            }
        }
        try {
            qmp.execute("nbd-server-stop");
        } catch (QmpCommandException e) {
            if (!e.description().contains("not running")) throw e;
        }
        try {
            MigrationQmp.deleteObjectIfExists(qmp, TLS_ID);
        } catch (QmpCommandException e) {
            LOG.debug("object-del {}: {}", TLS_ID, e.description());
        }
    }

    private void stopQuietly(QmpClient qmp) {
        try {
            stop(qmp);
        } catch (RuntimeException e) {
            LOG.warn("{}: stopping the NBD server failed: {}", config.name(), e.getMessage());
        }
    }

    private int listen(QmpClient qmp, String host, boolean tls) {
        QmpCommandException last = null;
        for (int i = 0; i < LISTEN_ATTEMPTS; i++) {
            int port = FreePort.on(host);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("addr", Map.of("type", "inet", "data", Map.of("host", host, "port", String.valueOf(port))));
            if (tls) args.put("tls-creds", TLS_ID);
            try {
                qmp.execute("nbd-server-start", args);
                return port;
            } catch (QmpCommandException e) {
                last = e;
                LOG.warn("{}: NBD server cannot listen on {}:{}: {}", config.name(), host, port, e.description());
            }
        }
        throw new FerryException(ErrorCode.MIGRATION_FAILED, "QEMU on " + config.name() + " cannot start its NBD server on "
                + host + " (" + LISTEN_ATTEMPTS + " ports tried): " + last.description(), last);
    }

    static DiskSpec disk(VmSpec spec, String id) {
        return spec.disks().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow(() ->
                new FerryException(ErrorCode.INVALID_ARGUMENT, "VM '" + spec.name() + "' has no disk '" + id + "'"));
    }
}

package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.HostSpecCheck;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.qmp.QemuVersion;
import dev.ferry.qemu.qmp.QmpCommandException;
import dev.ferry.qemu.policy.QemuSafety;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination's half of a migration: define the VM (or accept the same VM already defined and
 * stopped), start an identical QEMU waiting with {@code -incoming defer}, give it the cluster's TLS
 * credentials and the complete {@link MigrationSettings} (the source's capabilities, every other
 * capability off and every parameter at QEMU's default), and make it listen. It is all or nothing: whatever step
 * fails, the QEMU it started is killed and the definition it made is removed (or restored) before
 * the error is returned, so a refused or failed preparation leaves nothing behind.
 */
final class IncomingMigration {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingMigration.class);
    private static final int LISTEN_ATTEMPTS = 3;

    private final AgentConfig config;
    private final VmManager vms;
    private final HostSpecCheck hostCheck;
    private final QemuVersion hostQemu;

    IncomingMigration(AgentConfig config, VmManager vms, HostSpecCheck hostCheck, QemuVersion hostQemu) {
        this.config = config;
        this.vms = vms;
        this.hostCheck = hostCheck;
        this.hostQemu = hostQemu;
    }

    IncomingResponse prepare(IncomingRequest req) {
        VmSpec spec = validated(req);
        QemuSafety.requireSafeForLiveMigration(config.name(), hostQemu);
        return vms.locks().with(spec.name(), () -> {
            Claim claim = claim(spec);
            VmRuntime rt = null;
            try {
                rt = vms.launch(vms.spec(spec.name()), true);
                String uri = configureAndListen(rt, req);
                LOG.info("{}: waiting for migration {} of {} on {} (tls {})", config.name(), req.migrationId(),
                        spec.name(), uri, req.tls());
                return new IncomingResponse(uri, config.migrationAddressOrListen());
            } catch (RuntimeException e) {
                rollback(spec.name(), rt, claim, e);
                throw e;
            }
        });
    }

    private static VmSpec validated(IncomingRequest req) {
        if (req == null || req.spec() == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "an incoming migration needs the VM's spec");
        }
        SpecValidator.validate(req.spec());
        MigrationSettings.incoming(req); // refuses unknown capabilities before anything is defined or started
        if (req.spec().uuid() == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the spec of an incoming VM must carry the source's uuid");
        }
        return req.spec();
    }

    private String configureAndListen(VmRuntime rt, IncomingRequest req) {
        if (req.tls()) MigrationQmp.installTlsCredentials(rt.qmp(), Path.of(config.tlsDir()), "server");
        MigrationSettings.incoming(req).applyTo(rt.qmp());
        return listen(rt);
    }

    /** {@code migrate-incoming} on a free port; retried with a new port if another process took it meanwhile. */
    private String listen(VmRuntime rt) {
        String address = config.migrationAddressOrListen();
        QmpCommandException last = null;
        for (int attempt = 0; attempt < LISTEN_ATTEMPTS; attempt++) {
            String uri = FreePort.tcpUri(address, FreePort.on(address));
            try {
                rt.qmp().execute("migrate-incoming", Map.of("uri", uri));
                return uri;
            } catch (QmpCommandException e) {
                last = e;
                LOG.warn("{}: QEMU cannot listen on {}: {}", config.name(), uri, e.description());
            }
        }
        throw new FerryException(ErrorCode.MIGRATION_FAILED, "QEMU on " + config.name() + " cannot listen for the migration on "
                + address + " (" + LISTEN_ATTEMPTS + " ports tried): " + last.description(), last);
    }

    /**
     * Defines the VM, or accepts an existing definition of the same VM (same uuid) whose QEMU is not
     * running; an existing definition is replaced by the incoming spec, because the destination must
     * start exactly the source's machine. Returns what to undo on failure.
     */
    private Claim claim(VmSpec spec) {
        Optional<VmSpec> existing = vms.repository().find(spec.name());
        if (existing.isEmpty()) {
            vms.define(spec);
            return new Claim(true, null);
        }
        VmSpec old = existing.get();
        if (!spec.uuid().equalsIgnoreCase(String.valueOf(old.uuid()))) {
            throw new FerryException(ErrorCode.VM_EXISTS, "another VM named '" + spec.name() + "' is already defined on "
                    + config.name() + " (uuid " + old.uuid() + ", the incoming VM has uuid " + spec.uuid() + ")");
        }
        if (Runtimes.find(vms, spec.name()).isPresent()) {
            throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + spec.name() + "' already runs on " + config.name()
                    + "; it cannot also be a migration destination here");
        }
        hostCheck.check(spec);
        if (old.equals(spec)) return new Claim(false, null);
        vms.repository().save(spec);
        return new Claim(false, old);
    }

    private void rollback(String name, VmRuntime rt, Claim claim, RuntimeException cause) {
        try {
            if (rt != null) Runtimes.kill(vms, name, rt);
            if (claim.created()) vms.repository().delete(name);
            else if (claim.previous() != null) vms.repository().save(claim.previous());
            LOG.info("{}: incoming migration of {} refused ({}); cleaned up", config.name(), name, cause.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{}: cleaning up the failed incoming migration of {} failed: {}", config.name(), name, e.getMessage());
            cause.addSuppressed(e);
        }
    }

    /** What {@link #claim} changed: a new definition, or the earlier spec it replaced (null if unchanged). */
    private record Claim(boolean created, VmSpec previous) {}
}

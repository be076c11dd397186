package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.vm.VmInfo;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to the source once its migration has completed. Normally the controller confirms
 * the guest runs on the destination and the source's paused copy is shut down and undefined
 * ({@link #finish}); if the destination died right after taking over, the source copy is the only
 * one left and is resumed instead ({@link #recover}). Both act only in QEMU's {@code postmigrate}
 * state, i.e. after QEMU itself has handed the guest over, so neither can destroy or duplicate a
 * guest that never left.
 */
final class SourceAfterMigration {
    private static final Logger LOG = LoggerFactory.getLogger(SourceAfterMigration.class);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final VmManager vms;
    private final Predicate<String> postcopyStarted;

    SourceAfterMigration(AgentConfig config, VmManager vms) {
        this(config, vms, name -> false);
    }

    /** {@code postcopyStarted}: whether this agent switched the VM's last migration to post-copy. */
    SourceAfterMigration(AgentConfig config, VmManager vms, Predicate<String> postcopyStarted) {
        this.config = config;
        this.vms = vms;
        this.postcopyStarted = postcopyStarted;
    }

    /** Quits the source QEMU (SIGKILL if it has not exited after 10 s) and undefines the VM. */
    void finish(String name) {
        vms.locks().with(name, () -> {
            VmRuntime rt = requirePostmigrate(name, "finish the source");
            try {
                rt.qmp().execute("quit");
            } catch (FerryException e) {
                LOG.debug("{}: 'quit' for {} got no answer ({}); waiting for the process", config.name(), name, e.getMessage());
            }
            if (!rt.process().awaitExit(QUIT_WAIT)) {
                LOG.warn("{}: QEMU of {} did not quit within {} s; killing it", config.name(), name, QUIT_WAIT.toSeconds());
                Runtimes.kill(vms, name, rt);
            }
            vms.forget(name);
            vms.undefine(name);
            LOG.info("{}: {} has left this host; its source QEMU is gone and its definition removed", config.name(), name);
            return null;
        });
    }

    /** Resumes the guest on the source after a completed migration whose destination is dead. */
    VmInfo recover(String name) {
        return vms.locks().with(name, () -> {
            VmRuntime rt = requirePostmigrate(name, "recover the source");
            MigrationStats last = MigrationStatsReader.read(rt.qmp());
            if (postcopyStarted.test(name) || last.postcopyBytes() != null) {
                throw new FerryException(ErrorCode.INVALID_STATE, "cannot resume '" + name + "' on " + config.name()
                        + ": its migration ran in post-copy, so the guest ran on the destination and this copy is stale;"
                        + " resuming it would run an older guest");
            }
            rt.qmp().execute("cont");
            LOG.warn("{}: resumed {} on the source after its migration (the destination is reported dead)", config.name(), name);
            return vms.show(name);
        });
    }

    private VmRuntime requirePostmigrate(String name, String action) {
        VmRuntime rt = vms.requireRunning(name);
        String status = rt.qemuStatus();
        if (!"postmigrate".equals(status)) {
            throw new FerryException(ErrorCode.INVALID_STATE, "cannot " + action + " of '" + name + "' on " + config.name()
                    + ": QEMU's status is '" + status + "', not 'postmigrate', so the guest has not been handed over");
        }
        return rt;
    }
}

package dev.ferry.agent.migration;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throws away a VM on this host: kills its QEMU, if any, and removes its definition, never its disk
 * images. It exists to clean up a migration destination that did not take over. Without
 * {@code force} it refuses whenever QEMU may hold the only live copy of a guest: a destination that
 * is still waiting ({@code inmigrate}) or a QEMU that has exited or crashed beyond use may go; a
 * running, paused or handed-over ({@code postmigrate}) one may not.
 */
final class VmDiscard {
    private static final Logger LOG = LoggerFactory.getLogger(VmDiscard.class);
    /** QEMU statuses in which no guest can be lost by killing the process. */
    private static final Set<String> DISPOSABLE = Set.of("inmigrate", "shutdown", "internal-error", "guest-panicked");

    private final AgentConfig config;
    private final VmManager vms;

    VmDiscard(AgentConfig config, VmManager vms) {
        this.config = config;
        this.vms = vms;
    }

    void discard(String name, boolean force) {
        vms.locks().with(name, () -> {
            Optional<VmRuntime> rt = Runtimes.find(vms, name);
            if (rt.isPresent()) {
                String status = rt.get().qemuStatus();
                if (!force && !DISPOSABLE.contains(status)) {
                    throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + name + "' on " + config.name() + " is '" + status
                            + "': its guest may be live here; discard it with force=true only if you are sure");
                }
                Runtimes.kill(vms, name, rt.get());
                LOG.info("{}: killed QEMU of {} (was {}{})", config.name(), name, status, force ? ", forced" : "");
            }
            vms.undefine(name);
            return null;
        });
    }
}

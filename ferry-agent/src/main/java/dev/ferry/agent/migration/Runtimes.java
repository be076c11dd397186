package dev.ferry.agent.migration;

import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Duration;
import java.util.Optional;

/**
 * Small lookups and actions on a VM's QEMU that several migration steps need and
 * {@link VmManager} does not offer as such: "the runtime if there is one" (the manager only has
 * "the runtime or VM_NOT_RUNNING") and "make sure this QEMU is gone".
 */
final class Runtimes {
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Runtimes() {}

    /** The live runtime of a defined VM, empty if no QEMU runs; VM_NOT_FOUND for an unknown VM. */
    static Optional<VmRuntime> find(VmManager vms, String name) {
        try {
            return Optional.of(vms.requireRunning(name));
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_RUNNING) return Optional.empty();
            throw e;
        }
    }

    /** SIGKILLs the VM's QEMU and drops its runtime; fails if the process does not die. Caller holds the lock. */
    static void kill(VmManager vms, String name, VmRuntime rt) {
        if (!rt.process().kill(KILL_WAIT)) {
            throw new FerryException(ErrorCode.QEMU_FAILED, "QEMU of '" + name + "' (pid " + rt.process().pid()
                    + ") does not die after SIGKILL within " + KILL_WAIT.toSeconds() + " s");
        }
        vms.forget(name);
    }
}

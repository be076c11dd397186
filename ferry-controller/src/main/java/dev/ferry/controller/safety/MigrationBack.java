package dev.ferry.controller.safety;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationJournal;

/**
 * The default rollback: move the VM back to the host it came from as an ordinary migration in the
 * reverse direction and the same mode (so the VM runs on exactly one host at every moment, and a
 * failure of the way back leaves it where it runs, as any migration does). The way back takes no
 * backup and never rolls back itself, so a failing check cannot make the VM bounce between hosts.
 */
public final class MigrationBack {
    private MigrationBack() {}

    /** The request that moves the VM of {@code original} back to {@code source}. */
    public static MigrationRequest request(MigrationRequest original, String source) {
        return new MigrationRequest(original.vm(), source, original.maxDowntimeMs(), original.bandwidthMiBps(), original.insecure(),
                original.modeOrDefault(), original.allowPostcopy(), original.allowThrottle(), original.maxDurationSeconds(), null, null,
                null, original.monitorSeconds(), null);
    }

    /**
     * Makes the VM movable where it runs now: a guest a failed check found paused (or one an operator
     * paused) is resumed first, since a live migration needs a running guest and the point is to
     * have it running again. Throws {@code INVALID_STATE} when it does not run there at all.
     */
    public static void prepare(AgentClient current, String host, String vm, MigrationJournal journal) {
        VmState state = current.show(vm).state();
        if (state == VmState.PAUSED) {
            current.resume(vm);
            journal.event("rollback", "resumed the paused guest on " + host + " so it can be migrated back");
            return;
        }
        if (state != VmState.RUNNING) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + vm + "' is " + state.json() + " on " + host
                    + "; only a running or paused VM is migrated back");
        }
    }
}

package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.ModeState;
import dev.ferry.controller.migration.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Defines the VM on the destination, identical to the source's but with each copied disk at its
 * verified copy, and starts it there if it ran on the source. Only images that passed the end-to-end
 * check are ever named in the definition. Cleanup kills and undefines the destination copy (its
 * images are the copy phase's to delete).
 */
public final class StartDestinationPhase implements Phase {
    @Override
    public String name() { return "start-destination"; }

    @Override
    public void run(MigrationContext ctx) {
        VmSpec spec = withCopies(ctx.spec(), ctx.modes().copies());
        ctx.modes().destinationSpec(spec);
        ctx.destination().define(spec);
        ctx.modes().destinationDefined();
        if (!ctx.modes().sourceWasRunning()) {
            ctx.journal().event("info", "defined '" + ctx.vm() + "' on " + ctx.destinationHost() + "; it was shut off, so it stays shut off");
            return;
        }
        ctx.checkAbort();
        ctx.destination().start(ctx.vm());
        ctx.modes().resumed();
        ctx.journal().event("info", "started '" + ctx.vm() + "' on " + ctx.destinationHost() + "; it was off for "
                + ctx.modes().pausedMs() + " ms");
    }

    static VmSpec withCopies(VmSpec s, List<ModeState.CopiedDisk> copies) {
        List<DiskSpec> disks = new ArrayList<>();
        for (DiskSpec d : s.disks()) {
            String path = copies.stream().filter(c -> c.diskId().equals(d.id())).map(ModeState.CopiedDisk::destinationPath)
                    .findFirst().orElse(d.path());
            disks.add(new DiskSpec(d.id(), path, d.format(), d.bus(), d.cache()));
        }
        return new VmSpec(s.name(), s.uuid(), s.vcpus(), s.memoryMiB(), s.cpuModel(), s.machine(), s.firmware(), s.boot(), disks,
                s.nics(), s.serialLog());
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        if (!ctx.modes().isDestinationDefined() || ctx.isSourceFinished()) return;
        try {
            ctx.destination().discard(ctx.vm(), true);
            ctx.journal().event("cleanup", "removed the destination copy on " + ctx.destinationHost());
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
    }
}

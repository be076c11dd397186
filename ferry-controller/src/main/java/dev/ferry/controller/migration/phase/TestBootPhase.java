package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import java.util.List;

/**
 * Boots a test migration's clone on the destination, from its verified copies (or in place on
 * shared storage), with every NIC moved to the {@code ferry-isolated} network: each NIC sits alone
 * on a QEMU hub of its own, so nothing the clone sends reaches a real network, and its own MACs
 * could not clash with the VM's anyway. Cleanup kills and undefines it.
 */
public final class TestBootPhase implements Phase {
    @Override
    public String name() { return "boot"; }

    @Override
    public void run(MigrationContext ctx) {
        VmSpec copied = StartDestinationPhase.withCopies(ctx.spec(), ctx.modes().copies());
        List<NicSpec> isolated = copied.nics().stream().map(n -> new NicSpec(n.model(), NetworkDef.ISOLATED, n.mac())).toList();
        VmSpec spec = new VmSpec(copied.name(), copied.uuid(), copied.vcpus(), copied.memoryMiB(), copied.cpuModel(), copied.machine(),
                copied.firmware(), copied.boot(), copied.disks(), isolated, null);
        ctx.modes().destinationSpec(spec);
        ctx.destination().define(spec);
        ctx.modes().destinationDefined();
        ctx.checkAbort();
        ctx.destination().start(ctx.vm());
        ctx.journal().event("info", "booted the clone '" + ctx.vm() + "' on " + ctx.destinationHost() + " with " + isolated.size()
                + " NIC(s) on the isolated network (" + NetworkDef.ISOLATED + ": a QEMU hub with no other port)");
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        if (!ctx.modes().isDestinationDefined()) return;
        try {
            ctx.destination().discard(ctx.vm(), true);
            ctx.journal().event("cleanup", "removed the clone '" + ctx.vm() + "' from " + ctx.destinationHost());
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
    }
}

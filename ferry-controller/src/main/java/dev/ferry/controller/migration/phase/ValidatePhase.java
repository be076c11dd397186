package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;
import dev.ferry.controller.migration.storage.StoragePlanner;
import dev.ferry.qemu.policy.QemuSafety;

/**
 * Checks, before anything changes, that this migration can work: the VM runs on the source, both
 * QEMUs are safe for live migration, both hosts use the same accelerator, the destination knows
 * the VM's machine type and CPU model and has the memory, and every disk either sits on storage
 * that both hosts share or, if not, fits into a destination pool it is copied to
 * ({@link StoragePlanner}). A refusal here leaves everything exactly as it was.
 */
public final class ValidatePhase implements Phase {
    @Override
    public String name() { return "validate"; }

    @Override
    public void run(MigrationContext ctx) {
        if (ctx.sourceHost().equals(ctx.destinationHost())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "VM '" + ctx.vm() + "' already runs on " + ctx.sourceHost());
        }
        VmInfo vm = ctx.source().show(ctx.vm());
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.PAUSED) {
            throw new FerryException(ErrorCode.VM_NOT_RUNNING, "VM '" + ctx.vm() + "' is " + vm.state().json() + " on "
                    + ctx.sourceHost() + "; live migration needs it running");
        }
        HostInfo src = ctx.source().host();
        HostInfo dst = ctx.destination().host();
        QemuSafety.requireSafeForLiveMigration(src.name(), src.qemuVersion());
        QemuSafety.requireSafeForLiveMigration(dst.name(), dst.qemuVersion());
        if (!src.accelerator().equals(dst.accelerator())) {
            throw new FerryException(ErrorCode.INVALID_STATE, ctx.sourceHost() + " runs guests with " + src.accelerator() + " but "
                    + dst.name() + " with " + dst.accelerator() + "; a guest cannot move between accelerators");
        }
        DestinationFit.require(dst, vm.spec(), ctx.vm());
        // Disks not on a pool both hosts share are copied along (mirrored while the VM runs).
        StoragePlan storage = StoragePlanner.plan(ctx, src, dst, vm.spec());
        if (storage != null) ctx.journal().event("info", "local disks are copied along: " + storage);
        ctx.storage(storage);
        ctx.prepared(src, dst, vm.spec());
    }
}

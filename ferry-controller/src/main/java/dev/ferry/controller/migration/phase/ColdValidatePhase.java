package dev.ferry.controller.migration.phase;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.controller.assess.AssessmentRefusal;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlanner;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything changes, that a cold migration can work: the
 * {@link dev.ferry.controller.assess.Assessor} in cold mode (the VM is defined on the source and
 * not in the middle of a migration; the destination is reachable, not in maintenance, has the VM's
 * machine type, CPU model, networks, memory and vCPUs; every disk is either on storage both hosts
 * share, proven by a marker file, or has an unshared destination pool with room to be copied into),
 * recorded on the job as an event, and that the destination does not know the VM yet. Unlike a
 * live migration it needs neither the same accelerator nor a running guest.
 */
public final class ColdValidatePhase implements Phase {
    @Override
    public String name() { return "validate"; }

    @Override
    public void run(MigrationContext ctx) {
        Assessment assessment = ctx.assessor().assessMigration(ctx.request());
        ctx.journal().event("assessment", AssessmentRefusal.summary(assessment));
        AssessmentRefusal.requireMovable(assessment);
        VmInfo vm = ctx.source().show(ctx.vm());
        HostInfo src = ctx.source().host();
        HostInfo dst = ctx.destination().host();
        try {
            ctx.destination().show(ctx.vm());
            throw new FerryException(ErrorCode.VM_EXISTS, dst.name() + " already has a VM named '" + ctx.vm() + "'");
        } catch (FerryException e) {
            if (e.code() != ErrorCode.VM_NOT_FOUND) throw e;
        }
        List<String> plan = new ArrayList<>();
        for (DiskSpec d : vm.spec().disks()) {
            if (StoragePlanner.sharedByBoth(src, dst, d)) {
                plan.add(d.id() + ": shared storage, not copied");
                continue;
            }
            HostInfo.PoolInfo pool = ColdPlan.targetPool(src, dst, d).orElseThrow(() -> new FerryException(ErrorCode.INVALID_STATE,
                    "disk '" + d.id() + "' is not on storage both hosts share, and " + dst.name() + " has no unshared pool to copy it to"));
            plan.add(d.id() + ": copied to pool '" + pool.name() + "' (" + pool.path() + ") of " + dst.name());
        }
        ctx.prepared(src, dst, vm.spec());
        ctx.journal().event("plan", "cold migration of '" + ctx.vm() + "' (" + vm.state().json() + " on " + ctx.sourceHost() + "): "
                + (plan.isEmpty() ? "no disks" : String.join("; ", plan)));
    }
}

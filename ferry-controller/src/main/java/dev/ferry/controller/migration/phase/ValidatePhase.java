package dev.ferry.controller.migration.phase;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlan;
import dev.ferry.controller.migration.storage.StoragePlanner;
import dev.ferry.controller.assess.AssessmentRefusal;

/**
 * Checks, before anything changes, that this migration can work, by asking the
 * {@link dev.ferry.controller.assess.Assessor}: the VM runs on the source, both QEMUs are safe for
 * live migration, both hosts use the same accelerator, the destination is reachable and not in
 * maintenance, knows the VM's machine type and CPU model (with every feature), has its networks,
 * memory and vCPUs, and every disk either sits on storage both hosts share (proven by a marker
 * file) or fits into a destination pool it is copied to ({@link StoragePlanner}). The assessment is
 * recorded on the job as an event; a blocker refuses the migration and leaves everything exactly
 * as it was.
 */
public final class ValidatePhase implements Phase {
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
        // Disks not on a pool both hosts share are copied along (mirrored while the VM runs).
        StoragePlan storage = StoragePlanner.plan(ctx, src, dst, vm.spec());
        if (storage != null) ctx.journal().event("info", "local disks are copied along: " + storage);
        ctx.storage(storage);
        ctx.prepared(src, dst, vm.spec());
    }
}

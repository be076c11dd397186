package dev.ferry.controller.migration.phase;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.client.StorageClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.assess.AssessmentRefusal;
import dev.ferry.controller.assess.CapacityLedger;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.migration.storage.StoragePlanner;
import java.util.List;

/**
 * First phase of a test migration: checks the destination could take the VM (the Assessor in cold
 * mode: machine type, CPU, networks, memory, maintenance, a place for each disk) and makes the point-in-time clone on the source with the agent's
 * clone of a running VM (one QMP transaction of {@code blockdev-backup sync=full}: the source keeps
 * running and its disks are only read). The clone has its own name, uuid and MACs and stays
 * stopped on the source; the migration context's VM is the clone from here on. Cleanup (always run,
 * the test tears everything down) undefines the clone and deletes its images on the source.
 */
public final class TestClonePhase implements Phase {
    private final String original;

    public TestClonePhase(String original) { this.original = original; }

    @Override
    public String name() { return "clone"; }

    @Override
    public void run(MigrationContext ctx) {
        if (ctx.sourceHost().equals(ctx.destinationHost())) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "VM '" + original + "' already lives on " + ctx.sourceHost()
                    + "; a test migration needs another host");
        }
        VmInfo vm = ctx.source().show(original);
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.SHUTOFF) {
            throw new FerryException(ErrorCode.INVALID_STATE, "VM '" + original + "' is " + vm.state().json() + " on " + ctx.sourceHost()
                    + "; only a running or stopped VM can be test-migrated");
        }
        HostInfo src = ctx.source().host();
        HostInfo dst = ctx.destination().host();
        // The clone boots there like the VM would after a cold move: the same assessment, in cold mode.
        Assessment assessment = ctx.assessor().assess(original, ctx.destinationHost(), CapacityLedger.empty(), "cold", false);
        ctx.journal().event("assessment", AssessmentRefusal.summary(assessment));
        AssessmentRefusal.requireMovable(assessment);
        for (DiskSpec d : vm.spec().disks()) {
            if (!StoragePlanner.sharedByBoth(src, dst, d) && ColdPlan.targetPool(src, dst, d).isEmpty()) {
                throw new FerryException(ErrorCode.INVALID_STATE, "disk '" + d.id() + "' is not on storage both hosts share, and "
                        + dst.name() + " has no unshared pool to copy it to");
            }
        }
        VmInfo clone = StorageClient.of(ctx.source()).clone(original, new CloneRequest(ctx.vm(), false, null));
        ctx.prepared(src, dst, clone.spec());
        ctx.journal().event("info", "point-in-time clone '" + ctx.vm() + "' of '" + original + "' (" + vm.state().json() + ") made on "
                + ctx.sourceHost() + ": uuid " + clone.spec().uuid() + ", MACs " + clone.spec().nics().stream().map(n -> n.mac()).toList()
                + ", disks " + clone.spec().disks().stream().map(DiskSpec::path).toList());
    }

    @Override
    public void cleanup(MigrationContext ctx) {
        VmInfo clone;
        try {
            clone = ctx.source().show(ctx.vm());
        } catch (FerryException e) {
            if (e.code() == ErrorCode.VM_NOT_FOUND) return;
            throw e;
        }
        ctx.source().delete(ctx.vm());
        List<String> paths = clone.spec().disks().stream().map(DiskSpec::path).toList();
        List<String> deleted = StorageClient.of(ctx.source()).deleteImages(new DeleteImagesRequest(paths));
        ctx.journal().event("cleanup", "removed the clone '" + ctx.vm() + "' from " + ctx.sourceHost() + " and deleted its images " + deleted);
    }
}

package dev.ferry.controller.plan;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a host: puts it in maintenance (so nothing new is placed on it while it drains), builds a
 * plan moving every VM on it to {@code auto}, so each one's destination is the best host that the
 * assessment, the capacity ledger (earlier VMs of the same evacuation included) and the limits
 * allow, and runs it. A dry run only validates and returns the plan, touching nothing, not even
 * the maintenance flag.
 */
public final class Evacuation {
    /** Puts a host in maintenance mode (the controller's {@code host.Maintenance}). */
    @FunctionalInterface
    public interface Maintenance {
        void enter(String host, String reason);
    }

    private final PlanService plans;
    private final HostStore hosts;
    private final VmStore vms;
    private final Maintenance maintenance;
    private final Clock clock;

    public Evacuation(PlanService plans, HostStore hosts, VmStore vms, Maintenance maintenance, Clock clock) {
        this.plans = plans;
        this.hosts = hosts;
        this.vms = vms;
        this.maintenance = maintenance;
        this.clock = clock;
    }

    public PlanView evacuate(String host, boolean dryRun, String mode) {
        if (hosts.find(host).isEmpty()) throw new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + host + "'");
        List<VmRecord> onHost = vms.onHost(host);
        if (onHost.isEmpty()) throw new FerryException(ErrorCode.INVALID_STATE, "host " + host + " runs no VM; nothing to evacuate");
        List<PlanDocument.Vm> entries = new ArrayList<>();
        for (VmRecord v : onHost) {
            entries.add(new PlanDocument.Vm(v.name(), PlanDocuments.AUTO, null, null, null, null, null, null, null, null));
        }
        PlanDocument doc = new PlanDocument("evacuate-" + host + "-" + clock.instant().getEpochSecond(), mode == null ? MigrationRequest.LIVE : mode,
                null, null, null, null, null, null, null, null, "continue", null, entries);
        PlanDefinition def = PlanDocuments.check(doc);
        if (dryRun) return plans.validateDefinition(def);
        // Validated and stored first: a refused evacuation leaves the host as it was, not in maintenance.
        PlanView created = plans.create(def);
        maintenance.enter(host, "evacuation (plan " + created.id() + ")");
        return plans.run(created.id());
    }
}

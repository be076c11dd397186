package dev.ferry.controller.plan;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.assess.CapacityLedger;
import dev.ferry.controller.assess.Placement;
import dev.ferry.controller.store.PlanItemRecord.Figures;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a plan before any VM is touched: every item is assessed through {@link Placement} with
 * one {@link CapacityLedger} filled in plan order, so ten VMs going to one host are checked as ten
 * moves in a row; an {@code auto} destination takes the best recommendation that has no blocker.
 * Each item gets its prediction ({@link MovePredictor}) and the plan its ETA
 * ({@link PlanSimulation}). The result lists every VM's blockers; a plan with any is refused.
 */
public final class PlanValidator {
    private final Placement placement;
    private final VmStore vms;
    private final MovePredictor predictor;
    private final Committer committer;

    /** Records an accepted move in the ledger (the Assessor's own rule: memory with QEMU's overhead, vCPUs, copied disks). */
    @FunctionalInterface
    public interface Committer {
        void commit(String vm, String destination, CapacityLedger ledger);
    }

    public PlanValidator(Placement placement, VmStore vms, MovePredictor predictor, Committer committer) {
        this.placement = placement;
        this.vms = vms;
        this.predictor = predictor;
        this.committer = committer;
    }

    /** With a committer that books the VM's memory and vCPUs from its spec (for placements without their own rule). */
    public PlanValidator(Placement placement, VmStore vms, MovePredictor predictor) {
        this(placement, vms, predictor, null);
    }

    /** One checked move: where from and to, what was found, what is predicted and on what basis. */
    public record Checked(int seq, PlanDefinition.Item item, String source, String destination, Assessment assessment,
                          Figures predicted, String basis, List<Long> transferMsBySharing) {
        public boolean movable() { return assessment != null && assessment.movable(); }
    }

    /** The checked plan: its items, the blockers (one finding per blocker, the message naming the VM) and the ETA. */
    public record Result(PlanDefinition definition, List<Checked> items, List<Finding> blockers, long etaMs) {
        public boolean movable() { return blockers.isEmpty(); }
    }

    public Result validate(PlanDefinition def, Instant now) {
        CapacityLedger ledger = CapacityLedger.empty();
        List<Checked> out = new ArrayList<>();
        List<Finding> blockers = new ArrayList<>();
        int seq = 0;
        for (PlanDefinition.Item item : def.items()) {
            VmRecord vm = vms.find(item.vm()).orElseThrow(() -> new FerryException(ErrorCode.VM_NOT_FOUND,
                    "plan '" + def.name() + "': no VM named '" + item.vm() + "' runs on any registered host"));
            VmSpec spec = PlanJson.read(vm.specJson(), VmSpec.class);
            Assessment a = item.auto() ? best(item.vm(), ledger) : placement.assess(item.vm(), item.request().to(), ledger);
            String destination = a.destination();
            for (Finding f : a.blockers()) {
                blockers.add(new Finding(f.code(), f.severity(), item.vm() + " -> " + (destination == null ? "auto" : destination) + ": "
                        + f.message()));
            }
            long memoryMiB = spec == null || spec.memoryMiB() == null ? 0 : spec.memoryMiB();
            int vcpus = spec == null || spec.vcpus() == null ? 1 : spec.vcpus();
            Figures predicted = null;
            String basis = null;
            List<Long> shared = List.of();
            if (a.movable()) {
                if (committer != null) committer.commit(item.vm(), destination, ledger);
                else ledger.move(vm.host(), destination, memoryMiB, vcpus, null, 0);
                MovePredictor.Predicted p = predictor.predict(item.vm(), vm.host(), destination, Math.max(1, memoryMiB),
                        item.request().withDestination(destination));
                predicted = p.figures();
                basis = p.basis();
                shared = p.transferMsBySharing();
            }
            out.add(new Checked(seq++, item, vm.host(), destination == null ? "" : destination, a, predicted, basis, shared));
        }
        long eta = blockers.isEmpty() ? PlanSimulation.run(moves(out), def.limits(), now, def.windowStart(), def.windowEnd()).totalMs() : 0;
        return new Result(def, out, blockers, eta);
    }

    /** The scheduler's view of checked items. */
    static List<PlanScheduler.Move> moves(List<Checked> items) {
        return items.stream().map(c -> new PlanScheduler.Move(c.seq(), c.item().vm(), c.source(), c.destination(), c.item().wave(),
                c.item().dependsOn(), MovePredictor.jobMs(c.predicted(), c.item().request().modeOrDefault()), c.transferMsBySharing())).toList();
    }

    /** The best recommendation without blockers; when there is none, the best one's assessment (its blockers say why). */
    private Assessment best(String vm, CapacityLedger ledger) {
        List<Recommendation> recs = placement.recommend(vm, ledger);
        for (Recommendation r : recs) if (r.assessment() != null && r.assessment().movable()) return r.assessment();
        if (!recs.isEmpty() && recs.get(0).assessment() != null) return recs.get(0).assessment();
        return new Assessment(vm, null, null, Instant.now(), List.of(Finding.blocker(dev.ferry.api.assess.FindingCode.NO_DESTINATION,
                "no registered host can take it")));
    }
}

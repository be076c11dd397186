package dev.ferry.controller.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.store.PlanItemRecord;
import dev.ferry.controller.store.PlanRecord;
import java.util.List;

/** Turns stored plans and checked (not stored) plans into the API's {@link PlanView}. */
final class PlanViews {
    private PlanViews() {}

    static PlanView of(PlanRecord p, List<PlanItemRecord> items) {
        List<Finding> findings = PlanJson.read(p.findingsJson(), new TypeReference<List<Finding>>() {});
        return new PlanView(p.id(), p.name(), p.state(), p.onFailure(), p.createdAt(), p.startedAt(), p.finishedAt(), p.predictedTotalMs(),
                items.stream().map(PlanViews::item).toList(), findings, p.errorMessage());
    }

    static PlanItemView item(PlanItemRecord r) {
        return new PlanItemView(r.vm(), r.source(), r.destination(), r.wave(), r.mode(), r.state(), r.migrationId(), figures(r.predicted()),
                figures(r.measured()), r.error(), check(r).assessment(), r.rollbackMigrationId(), check(r).basis());
    }

    /** A plan that was checked but not stored (validate only, or refused): state "valid" or "refused". */
    static PlanView checked(PlanValidator.Result r) {
        List<PlanItemView> items = r.items().stream().map(c -> new PlanItemView(c.item().vm(), c.source(), c.destination(), c.item().wave(),
                c.item().request().modeOrDefault(), "pending", null, figures(c.predicted()), null, null, c.assessment(), null,
                c.basis())).toList();
        return new PlanView(null, r.definition().name(), r.movable() ? "valid" : "refused", r.definition().onFailure().label(), null, null,
                null, r.movable() ? r.etaMs() : null, items, findings(r), r.movable() ? null : refusal(r));
    }

    /** The plan-level findings: every blocker, then every warning, each naming its VM. */
    static List<Finding> findings(PlanValidator.Result r) {
        List<Finding> out = new java.util.ArrayList<>(r.blockers());
        for (PlanValidator.Checked c : r.items()) {
            if (c.assessment() == null) continue;
            for (Finding f : c.assessment().warnings()) {
                out.add(new Finding(f.code(), f.severity(), c.item().vm() + " -> " + c.destination() + ": " + f.message()));
            }
        }
        return out;
    }

    static String refusal(PlanValidator.Result r) {
        StringBuilder sb = new StringBuilder("plan '" + r.definition().name() + "' is refused, no VM was touched; blockers:");
        for (Finding f : r.blockers()) sb.append("\n  ").append(f.code()).append(": ").append(f.message());
        return sb.toString();
    }

    /** What validation stored for an item: its assessment and the basis of its prediction. */
    /** What validation stored with an item; {@code transferMsBySharing} is absent in plans made before it existed. */
    record ItemCheck(Assessment assessment, String basis, List<Long> transferMsBySharing) {
        ItemCheck(Assessment assessment, String basis) { this(assessment, basis, null); }
    }

    static ItemCheck check(PlanItemRecord r) {
        ItemCheck c = PlanJson.read(r.assessmentJson(), ItemCheck.class);
        return c == null ? new ItemCheck(null, null, null) : c;
    }

    private static PlanItemView.Figures figures(PlanItemRecord.Figures f) {
        return f == null ? null : new PlanItemView.Figures(f.totalMs(), f.downtimeMs(), f.bytes());
    }
}

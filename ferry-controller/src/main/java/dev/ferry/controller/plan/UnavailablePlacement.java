package dev.ferry.controller.plan;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.controller.assess.CapacityLedger;
import dev.ferry.controller.assess.Placement;
import java.time.Instant;
import java.util.List;

/**
 * MERGE SEAM: the placement used while the assessment ({@code dev.ferry.controller.assess}) is not
 * part of the build. It never guesses: every move gets a blocker saying the assessment is missing,
 * so a plan is refused rather than run unchecked. Replaced by the real Assessor in FerryController.
 */
final class UnavailablePlacement implements Placement {
    @Override
    public Assessment assess(String vm, String destination, CapacityLedger ledger) {
        return new Assessment(vm, null, destination, Instant.now(), List.of(Finding.blocker(FindingCode.HOST_UNREACHABLE,
                "the compatibility assessment is not available in this build, so no move can be checked")));
    }

    @Override
    public List<Recommendation> recommend(String vm, CapacityLedger ledger) { return List.of(); }
}

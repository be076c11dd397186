package dev.ferry.controller.assess;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Recommendation;
import java.util.List;

/**
 * Where a VM may go: the one question migrations, plans and evacuations ask before they touch a
 * VM. {@code ledger} carries what earlier moves of the same plan already committed to each host,
 * so a plan of ten VMs is checked as ten moves in a row, not ten independent ones; a single
 * migration passes {@link CapacityLedger#empty()}.
 */
public interface Placement {
    /** Every finding of moving {@code vm} (from where it runs now) to {@code destination}. */
    Assessment assess(String vm, String destination, CapacityLedger ledger);

    /** The destinations for {@code vm}, best first; hosts with blockers last, with score 0. */
    List<Recommendation> recommend(String vm, CapacityLedger ledger);
}

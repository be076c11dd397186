package dev.ferry.api.assess;

import java.util.List;

/**
 * One candidate destination for a VM, as {@code ferry host recommend VM} ranks them: the host, a
 * score (higher is better; only comparable within one answer), the reasons for the score in words,
 * and the full assessment behind it. Hosts with blockers are listed last with score 0.
 */
public record Recommendation(String host, double score, List<String> reasons, Assessment assessment) {
    public Recommendation {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}

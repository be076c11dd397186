package dev.ferry.api.assess;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * The answer to "can VM {@code vm} move from {@code source} to {@code destination} now?": every
 * finding of every check, blockers first. It is a value, recorded on migration jobs and plans as
 * what was checked, and shown by {@code ferry assess}.
 */
public record Assessment(String vm, String source, String destination, Instant at, List<Finding> findings) {
    public Assessment {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    @JsonIgnore
    public List<Finding> blockers() { return findings.stream().filter(Finding::isBlocker).toList(); }

    @JsonIgnore
    public List<Finding> warnings() { return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList(); }

    /** True when nothing blocks the move. */
    public boolean movable() { return blockers().isEmpty(); }
}

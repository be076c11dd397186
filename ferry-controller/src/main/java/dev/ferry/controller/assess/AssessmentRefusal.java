package dev.ferry.controller.assess;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns an assessment with blockers into the error a migration is refused with. The message lists
 * every blocker with its finding code. The error code is ASSESSMENT_BLOCKED, except where one
 * blocker has a code of its own that callers already switch on: the destination in maintenance
 * (HOST_IN_MAINTENANCE), the VM already there (INVALID_ARGUMENT), a stopped VM for a live move
 * (VM_NOT_RUNNING), a VM in another migration (INVALID_STATE), an unsafe QEMU (QEMU_UNSUPPORTED)
 * and an agent that does not answer (AGENT_UNREACHABLE), in that order of precedence.
 */
public final class AssessmentRefusal {
    private static final List<Map.Entry<FindingCode, ErrorCode>> SPECIFIC = List.of(
            Map.entry(FindingCode.HOST_IN_MAINTENANCE, ErrorCode.HOST_IN_MAINTENANCE),
            Map.entry(FindingCode.SAME_HOST, ErrorCode.INVALID_ARGUMENT),
            Map.entry(FindingCode.VM_NOT_RUNNING, ErrorCode.VM_NOT_RUNNING),
            Map.entry(FindingCode.VM_IN_MIGRATION, ErrorCode.INVALID_STATE),
            Map.entry(FindingCode.QEMU_UNSAFE, ErrorCode.QEMU_UNSUPPORTED),
            Map.entry(FindingCode.HOST_UNREACHABLE, ErrorCode.AGENT_UNREACHABLE));

    private AssessmentRefusal() {}

    /** Throws when {@code a} has blockers; does nothing when the move may go ahead. */
    public static void requireMovable(Assessment a) {
        if (a.movable()) return;
        List<Finding> blockers = a.blockers();
        ErrorCode code = SPECIFIC.stream().filter(e -> blockers.stream().anyMatch(b -> b.code().equals(e.getKey().name())))
                .map(Map.Entry::getValue).findFirst().orElse(ErrorCode.ASSESSMENT_BLOCKED);
        String text = blockers.size() == 1 ? blockers.get(0).message() + " [" + blockers.get(0).code() + "]"
                : "moving '" + a.vm() + "' from " + a.source() + " to " + a.destination() + " is blocked: "
                + blockers.stream().map(b -> b.message() + " [" + b.code() + "]").collect(Collectors.joining("; "));
        throw new FerryException(code, text);
    }

    /** One line per finding, for a migration's event log. */
    public static String summary(Assessment a) {
        return "assessment " + a.source() + " -> " + a.destination() + ": " + (a.movable() ? "movable" : a.blockers().size() + " blocker(s)")
                + ", " + a.warnings().size() + " warning(s): " + a.findings().stream()
                .map(f -> f.severity() + " " + f.code() + ": " + f.message()).collect(Collectors.joining(" | "));
    }
}

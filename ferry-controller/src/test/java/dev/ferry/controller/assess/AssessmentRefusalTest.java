package dev.ferry.controller.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a blocked assessment refuses a migration: every blocker in the message, the error code callers switch on. */
class AssessmentRefusalTest {
    private static Assessment of(Finding... f) { return new Assessment("web1", "host-a", "host-b", Instant.EPOCH, List.of(f)); }

    private static ErrorCode codeOf(Assessment a) {
        try {
            AssessmentRefusal.requireMovable(a);
            throw new AssertionError("not refused");
        } catch (FerryException e) {
            return e.code();
        }
    }

    @Test
    void warningsAndInformationDoNotRefuse() {
        assertThatCode(() -> AssessmentRefusal.requireMovable(of(Finding.warning(FindingCode.QEMU_OLDER, "older"),
                Finding.info(FindingCode.CAPACITY, "room")))).doesNotThrowAnyException();
    }

    @Test
    void everyBlockerIsNamedAndGeneralOnesAreAssessmentBlocked() {
        Assessment a = of(Finding.blocker(FindingCode.MEMORY, "too little memory"), Finding.blocker(FindingCode.NETWORK_MISSING, "no lan"),
                Finding.warning(FindingCode.QEMU_OLDER, "older"));
        assertThatThrownBy(() -> AssessmentRefusal.requireMovable(a)).isInstanceOfSatisfying(FerryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ASSESSMENT_BLOCKED))
                .hasMessage("moving 'web1' from host-a to host-b is blocked: too little memory [MEMORY]; no lan [NETWORK_MISSING]");
    }

    @Test
    void blockersWithACodeOfTheirOwnKeepIt() {
        assertThat(codeOf(of(Finding.blocker(FindingCode.MEMORY, "m"), Finding.blocker(FindingCode.HOST_IN_MAINTENANCE, "x"))))
                .isEqualTo(ErrorCode.HOST_IN_MAINTENANCE);
        assertThat(codeOf(of(Finding.blocker(FindingCode.SAME_HOST, "s")))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(codeOf(of(Finding.blocker(FindingCode.VM_NOT_RUNNING, "s")))).isEqualTo(ErrorCode.VM_NOT_RUNNING);
        assertThat(codeOf(of(Finding.blocker(FindingCode.QEMU_UNSAFE, "q")))).isEqualTo(ErrorCode.QEMU_UNSUPPORTED);
        assertThat(codeOf(of(Finding.blocker(FindingCode.HOST_UNREACHABLE, "u")))).isEqualTo(ErrorCode.AGENT_UNREACHABLE);
        assertThat(codeOf(of(Finding.blocker(FindingCode.VM_IN_MIGRATION, "i")))).isEqualTo(ErrorCode.INVALID_STATE);
    }
}

package dev.ferry.qemu.policy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QemuVersion;
import org.junit.jupiter.api.Test;

class QemuSafetyTest {
    @Test
    void refusesQemu72WithTheReason() {
        assertThatThrownBy(() -> QemuSafety.requireSafeForLiveMigration("host-a", "7.2.15"))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("host host-a runs QEMU 7.2.15")
                .hasMessageContaining("lose dirty pages")
                .extracting(e -> ((FerryException) e).code()).isEqualTo(ErrorCode.QEMU_UNSUPPORTED);
    }

    @Test
    void refusesUnparseableVersions() {
        assertThatThrownBy(() -> QemuSafety.requireSafeForLiveMigration("h", "garbage")).isInstanceOf(FerryException.class);
        assertThatThrownBy(() -> QemuSafety.requireSafeForLiveMigration("h", (String) null)).isInstanceOf(FerryException.class);
    }

    @Test
    void checksAParsedVersionToo() {
        assertThatThrownBy(() -> QemuSafety.requireSafeForLiveMigration("host-b", new QemuVersion(9, 2, 0)))
                .isInstanceOf(FerryException.class).hasMessageContaining("host host-b runs QEMU 9.2.0");
        assertThatCode(() -> QemuSafety.requireSafeForLiveMigration("h", new QemuVersion(10, 0, 2))).doesNotThrowAnyException();
    }

    @Test
    void acceptsTenAndLater() {
        assertThatCode(() -> QemuSafety.requireSafeForLiveMigration("h", "10.0.2")).doesNotThrowAnyException();
        assertThatCode(() -> QemuSafety.requireSafeForLiveMigration("h", "11.1.0")).doesNotThrowAnyException();
    }
}

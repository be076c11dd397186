package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QemuVersion;
import org.junit.jupiter.api.Test;

/** The version gate, which real tests cannot reach: only QEMU 10 is installed here. */
class LiveMigrationGateTest {
    @Test
    void refusesQemu72WithTheReason() {
        assertThatThrownBy(() -> LiveMigrationGate.require(new QemuVersion(7, 2, 0), "host-a"))
                .isInstanceOfSatisfying(FerryException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.code()).isEqualTo(ErrorCode.QEMU_UNSUPPORTED))
                .hasMessageContaining("host-a runs QEMU 7.2.0")
                .hasMessageContaining("loses dirty pages when it live-migrates TCG guests under memory load");
    }

    @Test
    void acceptsQemu10AndLater() {
        assertThatCode(() -> LiveMigrationGate.require(new QemuVersion(10, 0, 2), "host-a")).doesNotThrowAnyException();
        assertThatCode(() -> LiveMigrationGate.require(new QemuVersion(11, 0, 0), "host-a")).doesNotThrowAnyException();
    }
}

package dev.ferry.agent.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QemuVersion;

/**
 * Refuses live migration with a QEMU that is known to lose guest memory. On these hosts QEMU 7.2
 * (Debian 12's) dropped dirty pages when it live-migrated TCG guests under memory load: the
 * destination kernel panicked or an in-guest checker found stale pages, while QEMU 10 moved the same
 * guests intact. Both ends check, each against its own QEMU, so a mixed pair is refused too.
 */
final class LiveMigrationGate {
    static final QemuVersion MINIMUM = new QemuVersion(10, 0, 0);

    private LiveMigrationGate() {}

    static void require(QemuVersion qemu, String host) {
        if (qemu.isAtLeast(MINIMUM)) return;
        throw new FerryException(ErrorCode.QEMU_UNSUPPORTED, "host " + host + " runs QEMU " + qemu
                + ", which cannot live-migrate safely: QEMU before " + MINIMUM.major() + "." + MINIMUM.minor()
                + " (e.g. 7.2) loses dirty pages when it live-migrates TCG guests under memory load, which corrupts"
                + " the guest; install QEMU " + MINIMUM.major() + " or newer (Debian 12: bookworm-backports)");
    }
}

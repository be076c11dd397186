package dev.ferry.qemu.policy;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.qemu.qmp.QemuVersion;

/**
 * QEMU versions Ferry will not live-migrate with, and why. QEMU 7.2 (Debian 12's own) was measured
 * on our hosts to lose dirty pages when live-migrating a TCG guest under memory load: the guest
 * kernel panicked on the destination in 3 of 3 loaded runs and an in-guest page check found lost
 * pages; 10.0 moved the same guests intact every time. So the floor is 10.0 until a version in
 * between is proven safe.
 */
public final class QemuSafety {
    public static final QemuVersion MIN_LIVE_MIGRATION = new QemuVersion(10, 0, 0);

    private QemuSafety() {}

    public static void requireSafeForLiveMigration(String host, String version) {
        requireSafeForLiveMigration(host, parse(version), version);
    }

    public static void requireSafeForLiveMigration(String host, QemuVersion version) {
        requireSafeForLiveMigration(host, version, String.valueOf(version));
    }

    private static void requireSafeForLiveMigration(String host, QemuVersion v, String version) {
        if (v == null || !v.isAtLeast(MIN_LIVE_MIGRATION)) {
            throw new FerryException(ErrorCode.QEMU_UNSUPPORTED, "host " + host + " runs QEMU " + version
                    + "; Ferry refuses to live-migrate with QEMU older than " + MIN_LIVE_MIGRATION
                    + " because QEMU 7.2 was measured to lose dirty pages of a TCG guest under memory load"
                    + " (the guest panics or its memory is corrupt on the destination). Install QEMU 10 from"
                    + " bookworm-backports.");
        }
    }

    /** "10.0.2" (or "10.0.2 (Debian ...)") as a version; null when it is not one. */
    public static QemuVersion parse(String version) {
        if (version == null) return null;
        String[] p = version.trim().split("[.\\s]");
        try {
            return new QemuVersion(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0,
                    p.length > 2 ? Integer.parseInt(p[2]) : 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

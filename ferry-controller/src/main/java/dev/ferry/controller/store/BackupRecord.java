package dev.ferry.controller.store;

import java.time.Instant;

/**
 * One pre-migration backup as persisted: which migration took it, of which VM, on which host, when,
 * its state ({@code kept}, {@code retained}, {@code restored}, {@code deleted}, {@code failed}), its
 * images and the VM's spec at that time (JSON), and until when a retained backup is kept.
 */
public record BackupRecord(String id, String migrationId, String vm, String host, Instant takenAt, String state,
                           String imagesJson, String specJson, Instant keepUntil, String detail, Instant updatedAt) {
    public static final String KEPT = "kept";
    public static final String RETAINED = "retained";
    public static final String RESTORED = "restored";
    public static final String DELETED = "deleted";
    public static final String FAILED = "failed";

    /** Whether its images still exist and can be restored. */
    public boolean restorable() { return KEPT.equals(state) || RETAINED.equals(state); }
}

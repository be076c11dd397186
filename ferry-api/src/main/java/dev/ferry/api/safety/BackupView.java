package dev.ferry.api.safety;

import java.time.Instant;
import java.util.List;

/**
 * A point-in-time copy of a VM's disks taken before a migration moved anything, kept on the
 * source host.
 *
 * @param state     {@code kept} (until the post-migration checks pass), {@code retained} (checks passed,
 *                  deleted at {@code keepUntil}), {@code restored} (its images became the VM's disks by
 *                  {@code rollback --to-backup}), {@code deleted}, {@code failed}
 * @param images    the backup's image paths on {@code host}, one per disk
 * @param keepUntil when a retained backup is deleted; null while kept
 */
public record BackupView(String id, String migrationId, String vm, String host, Instant takenAt, String state,
                         List<BackupImage> images, Instant keepUntil, String detail) {
    /** One disk's copy. */
    public record BackupImage(String diskId, String path, String format) {}

    public BackupView {
        images = images == null ? List.of() : List.copyOf(images);
    }
}

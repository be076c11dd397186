package dev.ferry.controller.migration.plan;

/**
 * What the planner knows about the guest and the link, measured just before the migration.
 *
 * @param memoryBytes          what the first pass must send: the guest's RAM (zero pages are cheap
 *                             for QEMU, so this errs on the long side for a mostly idle guest)
 * @param dirtyBytesPerSec     how fast the guest dirties distinct memory (QEMU page sampling over a
 *                             short window)
 * @param bandwidthBytesPerSec what the migration stream can move per second
 * @param workingSetBytes      the writable working set, when known: a round can never leave more than
 *                             this dirty, however long it took; null when unknown
 */
public record LiveInputs(long memoryBytes, long dirtyBytesPerSec, long bandwidthBytesPerSec, Long workingSetBytes) {
    public LiveInputs {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive");
        if (dirtyBytesPerSec < 0) throw new IllegalArgumentException("dirtyBytesPerSec must not be negative");
        if (bandwidthBytesPerSec <= 0) throw new IllegalArgumentException("bandwidthBytesPerSec must be positive");
        if (workingSetBytes != null && workingSetBytes < 0) throw new IllegalArgumentException("workingSetBytes must not be negative");
    }

    /** The most a round can leave dirty: the working set when known, else all of memory. */
    long dirtyCap() { return workingSetBytes == null ? memoryBytes : Math.min(workingSetBytes, memoryBytes); }
}

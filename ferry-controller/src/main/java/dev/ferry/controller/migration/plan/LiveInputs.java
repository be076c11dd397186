package dev.ferry.controller.migration.plan;

/**
 * What the planner knows about the guest and the link, measured just before the migration.
 *
 * @param memoryBytes          the guest's RAM
 * @param dirtyBytesPerSec     how fast the guest dirties distinct memory (QEMU page sampling over a
 *                             short window)
 * @param bandwidthBytesPerSec what the migration stream can move per second
 * @param workingSetBytes      the writable working set, when known: a round can never leave more than
 *                             this dirty, however long it took; null when unknown
 * @param firstPassBytes       what the first pass must send in full, when known: the guest RAM resident
 *                             in the source QEMU (pages never touched are not resident, and QEMU sends
 *                             them as zero-page headers only); at most {@code memoryBytes} (a larger
 *                             value is taken as {@code memoryBytes}); null when unknown, and then the
 *                             first pass is taken to send all of memory, which errs on the long side
 */
public record LiveInputs(long memoryBytes, long dirtyBytesPerSec, long bandwidthBytesPerSec, Long workingSetBytes,
                         Long firstPassBytes) {
    public LiveInputs {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive");
        if (dirtyBytesPerSec < 0) throw new IllegalArgumentException("dirtyBytesPerSec must not be negative");
        if (bandwidthBytesPerSec <= 0) throw new IllegalArgumentException("bandwidthBytesPerSec must be positive");
        if (workingSetBytes != null && workingSetBytes < 0) throw new IllegalArgumentException("workingSetBytes must not be negative");
        if (firstPassBytes != null && firstPassBytes < 0) throw new IllegalArgumentException("firstPassBytes must not be negative");
        if (firstPassBytes != null) firstPassBytes = Math.min(firstPassBytes, memoryBytes);
    }

    /** Inputs without a first-pass measurement: the first pass is taken to send all of memory. */
    public LiveInputs(long memoryBytes, long dirtyBytesPerSec, long bandwidthBytesPerSec, Long workingSetBytes) {
        this(memoryBytes, dirtyBytesPerSec, bandwidthBytesPerSec, workingSetBytes, null);
    }

    /** The most a round can leave dirty: the working set when known, else all of memory. */
    long dirtyCap() { return workingSetBytes == null ? memoryBytes : Math.min(workingSetBytes, memoryBytes); }

    /** What the first pass sends in full: the resident memory when known, else all of memory. */
    long firstPass() { return firstPassBytes == null ? memoryBytes : firstPassBytes; }
}

package dev.ferry.api.migration;

/**
 * One measurement of how fast a running guest dirties its memory, from QEMU's
 * {@code calc-dirty-rate} in page-sampling mode (the only mode that works under TCG: dirty-bitmap
 * reports 0 and dirty-ring needs KVM). QEMU hashes a sample of pages at the start and at the end
 * of the window and counts those that changed, so the figure counts <em>distinct</em> pages
 * dirtied in the window: a guest rewriting a small working set over and over shows a lower rate
 * over a longer window. Measuring two windows therefore also estimates the writable working set.
 *
 * @param bytesPerSec   distinct bytes dirtied per second over the window (QEMU's MiB/s, in bytes)
 * @param calcTimeMs    the window's length
 * @param samplePages   pages sampled per GiB of guest memory
 * @param memoryBytes   the guest's RAM size
 * @param residentBytes bytes of guest RAM resident in the QEMU process (plus any swapped out) at the
 *                      end of the window: an upper bound on what the first pre-copy pass must send in
 *                      full, since pages the guest never touched are not resident and QEMU sends them
 *                      as zero-page headers. Null when it cannot be read (an agent before this field,
 *                      or the process's smaps unreadable or without a mapping of the RAM's size)
 */
public record DirtyRate(long bytesPerSec, long calcTimeMs, long samplePages, long memoryBytes, Long residentBytes) {
    /** A measurement without the resident size (the record before it existed). */
    public DirtyRate(long bytesPerSec, long calcTimeMs, long samplePages, long memoryBytes) {
        this(bytesPerSec, calcTimeMs, samplePages, memoryBytes, null);
    }

    /** Distinct bytes dirtied over the whole window. */
    public long dirtiedBytes() { return bytesPerSec * calcTimeMs / 1000; }
}

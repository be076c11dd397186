package dev.ferry.bench.live;

import java.util.List;
import java.util.Locale;

/**
 * One guest workload of the matrix, from the test guest's memory worker ({@code guest/README.md}):
 * how big its buffer is and how fast it rewrites it, as a fraction of the link's goodput so the
 * same row means the same thing on a 1 Gbit/s and a 100 Mbit/s link. The worker rewrites its
 * buffer in order, so the rate is a rate of distinct pages until the buffer wraps: the buffer is the
 * writable working set.
 *
 * @param linkFraction the dirty rate over the link goodput; 0 for the idle guest (1 MiB/s)
 */
public record Workload(String id, String label, int bufferMiB, double linkFraction) {
    /** Guest RAM for every cell: the buffer plus room for the kernel (see guest/README.md). */
    public static final int GUEST_MEMORY_MIB = 256;
    static final int IDLE_RATE_MIBPS = 1;

    public static List<Workload> matrix() {
        return List.of(
                new Workload("idle", "idle (1 MiB/s)", 64, 0),
                new Workload("dirty-0.3", "dirty 0.3x link", 128, 0.3),
                new Workload("dirty-0.8", "dirty 0.8x link", 128, 0.8),
                new Workload("nonconvergent", "non-convergent (1.5x link, 128 MiB set)", 128, 1.5));
    }

    /** The memory worker's rate on a link that moves {@code goodputMiBps}. */
    public int rateMiBps(double goodputMiBps) {
        return linkFraction == 0 ? IDLE_RATE_MIBPS : (int) Math.max(1, Math.round(goodputMiBps * linkFraction));
    }

    /** The kernel command line of the test guest for this workload; 100 ms heartbeat for the gap measurement. */
    public String cmdline(double goodputMiBps) {
        return String.format(Locale.ROOT, "console=ttyS0 quiet panic=-1 ferry.hb=100 ferry.mem=%d ferry.rate=%d", bufferMiB,
                rateMiBps(goodputMiBps));
    }

    /**
     * Pre-copy alone cannot finish: the guest dirties faster than the link moves, and what stays dirty
     * (the working set) takes longer to send than the downtime allows.
     */
    public boolean nonConvergent(double goodputMiBps, long maxDowntimeMs) {
        return rateMiBps(goodputMiBps) > goodputMiBps && bufferMiB > goodputMiBps * maxDowntimeMs / 1000.0;
    }
}

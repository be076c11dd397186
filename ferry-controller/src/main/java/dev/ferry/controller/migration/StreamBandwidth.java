package dev.ferry.controller.migration;

import dev.ferry.api.migration.MigrationRequest;
import java.util.Locale;

/**
 * The one rule for how fast a migration's memory stream may go, shared by the planner (which must
 * predict with the bandwidth QEMU is actually allowed), the transfer phase (which sets QEMU's
 * {@code max-bandwidth}) and anyone who re-sets that cap while the stream runs (a plan sharing one
 * link between concurrent migrations). A cap, from the user's {@code --bandwidth} or given by a
 * caller, is set as is; no cap means the link sets the pace: QEMU is allowed
 * {@link #UNCAPPED_BYTES_PER_SEC}, because QEMU's own default of 128 MiB/s would silently hold an
 * "unlimited" move below a faster link, and the plan then uses the measured link.
 *
 * @param capBytesPerSec the cap in bytes per second, null for none
 */
public record StreamBandwidth(Long capBytesPerSec) {
    /** What "no cap" sets as QEMU's max-bandwidth: 1 TiB/s, above any link QEMU can fill. */
    public static final long UNCAPPED_BYTES_PER_SEC = 1L << 40;

    public StreamBandwidth {
        if (capBytesPerSec != null && capBytesPerSec <= 0) {
            throw new IllegalArgumentException("a bandwidth cap must be positive, got " + capBytesPerSec);
        }
    }

    /** The rule for a migration request: its {@code --bandwidth}, or no cap. */
    public static StreamBandwidth of(MigrationRequest req) { return new StreamBandwidth(req.bandwidthBytesPerSec()); }

    /** An explicit cap (bytes per second), e.g. one migration's fair share of a link. */
    public static StreamBandwidth capped(long bytesPerSec) { return new StreamBandwidth(bytesPerSec); }

    /** No cap: the link sets the pace. */
    public static StreamBandwidth uncapped() { return new StreamBandwidth(null); }

    public boolean isCapped() { return capBytesPerSec != null; }

    /** The value for QEMU's {@code max-bandwidth}: the cap, or {@link #UNCAPPED_BYTES_PER_SEC}. */
    public long maxBandwidthBytes() { return isCapped() ? capBytesPerSec : UNCAPPED_BYTES_PER_SEC; }

    /**
     * What the plan may count on: the smaller of what QEMU is allowed and what the link moved in a
     * probe ({@code probedBytesPerSec}, null when none was run, which is only sound with a cap).
     */
    public long plannedBytesPerSec(Long probedBytesPerSec) {
        if (probedBytesPerSec == null) {
            if (!isCapped()) throw new IllegalStateException("an uncapped stream needs a probe of the link to plan with");
            return capBytesPerSec;
        }
        return Math.min(maxBandwidthBytes(), Math.max(1, probedBytesPerSec));
    }

    /** Where {@link #plannedBytesPerSec} came from, for the plan's journal event. */
    public String plannedSource(Long probedBytesPerSec, String probe) {
        if (probedBytesPerSec == null) return "the --bandwidth cap";
        if (isCapped() && capBytesPerSec < probedBytesPerSec) {
            return String.format(Locale.ROOT, "the %.0f MiB/s cap, below the %.0f MiB/s that %s measured",
                    capBytesPerSec / 1048576.0, probedBytesPerSec / 1048576.0, probe);
        }
        return probe + (isCapped() ? "" : " (no --bandwidth: QEMU's max-bandwidth is lifted, so the link sets the pace)");
    }
}

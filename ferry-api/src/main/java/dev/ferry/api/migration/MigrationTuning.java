package dev.ferry.api.migration;

import java.util.Map;

/**
 * Changes to a running migration's parameters on the source, e.g. a raised downtime limit or a
 * stronger vCPU throttle when the transfer stalls. Null fields are left as they are.
 *
 * @param downtimeLimitMs   QEMU's downtime-limit
 * @param maxBandwidthBytes QEMU's max-bandwidth (bytes/s)
 * @param parameters        further numeric QEMU migration parameters, from {@link OutgoingRequest#TUNABLE}
 */
public record MigrationTuning(Integer downtimeLimitMs, Long maxBandwidthBytes, Map<String, Long> parameters) {
    public MigrationTuning {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}

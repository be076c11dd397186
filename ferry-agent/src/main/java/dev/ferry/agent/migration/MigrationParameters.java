package dev.ferry.agent.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.OutgoingRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The numeric QEMU migration parameters a caller may set besides bandwidth and downtime
 * ({@link OutgoingRequest#TUNABLE}) and their valid ranges. What a migration does not set goes back
 * to QEMU's default through {@link MigrationSettings}, so one attempt's throttle or cache size never
 * leaks into the next.
 */
final class MigrationParameters {
    private MigrationParameters() {}

    /** Validates a caller's parameters; refuses unknown names and values out of QEMU's range. */
    static Map<String, Object> checked(Map<String, Long> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(given).entrySet()) {
            String k = e.getKey();
            Long v = e.getValue();
            if (!OutgoingRequest.TUNABLE.contains(k)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration parameter '" + k + "' cannot be set (allowed: "
                        + new TreeSet<>(OutgoingRequest.TUNABLE) + ")");
            }
            if (v == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration parameter '" + k + "' needs a value");
            switch (k) {
                case "cpu-throttle-initial", "cpu-throttle-increment" -> range(k, v, 1, 99);
                case "throttle-trigger-threshold" -> range(k, v, 1, 100);
                case "xbzrle-cache-size" -> {
                    range(k, v, 4096, 1L << 40);
                    if (Long.bitCount(v) != 1) throw new FerryException(ErrorCode.INVALID_ARGUMENT, k + " must be a power of two");
                }
                default -> range(k, v, 0, Long.MAX_VALUE);
            }
            out.put(k, v);
        }
        return out;
    }

    private static void range(String k, long v, long min, long max) {
        if (v < min || v > max) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration parameter '" + k + "' must be between " + min
                    + " and " + max + " (got " + v + ")");
        }
    }
}

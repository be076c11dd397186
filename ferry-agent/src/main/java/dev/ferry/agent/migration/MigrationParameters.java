package dev.ferry.agent.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.OutgoingRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numeric QEMU migration parameters a caller may set besides bandwidth and downtime
 * ({@link OutgoingRequest#TUNABLE}), their valid ranges, and QEMU's defaults, which a new migration
 * gets back for every parameter it does not set, so one attempt's throttle or cache size never
 * leaks into the next.
 */
final class MigrationParameters {
    /** QEMU 10's defaults for the tunable parameters. */
    static final Map<String, Long> QEMU_DEFAULTS = Map.of(
            "xbzrle-cache-size", 64L << 20,
            "cpu-throttle-initial", 20L,
            "cpu-throttle-increment", 10L,
            "throttle-trigger-threshold", 50L,
            "max-postcopy-bandwidth", 0L);

    private MigrationParameters() {}

    /** Validates a caller's parameters; refuses unknown names and values out of QEMU's range. */
    static Map<String, Object> checked(Map<String, Long> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(given).entrySet()) {
            String k = e.getKey();
            Long v = e.getValue();
            if (!OutgoingRequest.TUNABLE.contains(k)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration parameter '" + k + "' cannot be set (allowed: "
                        + new TreeMap<>(QEMU_DEFAULTS).keySet() + ")");
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

    /** The caller's parameters, and QEMU's default for each tunable parameter the caller left out. */
    static Map<String, Object> withDefaults(Map<String, Long> given) {
        Map<String, Object> out = new LinkedHashMap<>(new TreeMap<>(QEMU_DEFAULTS));
        out.putAll(checked(given));
        return out;
    }

    private static void range(String k, long v, long min, long max) {
        if (v < min || v > max) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration parameter '" + k + "' must be between " + min
                    + " and " + max + " (got " + v + ")");
        }
    }
}

package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/**
 * Asks a source agent to start sending a running VM to {@code uri}. The agent sets the
 * capabilities and parameters, then issues QEMU's {@code migrate}; it returns at once and the
 * caller follows progress through {@link MigrationStats}.
 *
 * @param maxBandwidthBytes bytes per second, null for {@link #DEFAULT_MAX_BANDWIDTH_BYTES}
 * @param downtimeLimitMs   the longest pause QEMU may take for the final copy, null for the default
 * @param parameters        further numeric QEMU migration parameters (only those in {@link #TUNABLE});
 *                          those not given are set back to QEMU's defaults
 */
public record OutgoingRequest(
        String migrationId,
        String uri,
        boolean tls,
        String tlsHostname,
        Long maxBandwidthBytes,
        Integer downtimeLimitMs,
        Map<String, Boolean> capabilities,
        Map<String, Long> parameters) {

    /**
     * The agent's cap for a request without one: QEMU's own default max-bandwidth, 128 MiB/s, also
     * what every migration's settings reset to. The controller never relies on it: it always sends
     * the cap its StreamBandwidth rule gives (a "no cap" move is sent 1 TiB/s, so the link sets the pace).
     */
    public static final long DEFAULT_MAX_BANDWIDTH_BYTES = 128L << 20;

    /** The numeric QEMU migration parameters a caller may set besides bandwidth and downtime. */
    public static final Set<String> TUNABLE = Set.of("xbzrle-cache-size", "cpu-throttle-initial", "cpu-throttle-increment",
            "throttle-trigger-threshold", "max-postcopy-bandwidth");

    @JsonCreator
    public OutgoingRequest(@JsonProperty("migrationId") String migrationId, @JsonProperty("uri") String uri,
                           @JsonProperty("tls") boolean tls, @JsonProperty("tlsHostname") String tlsHostname,
                           @JsonProperty("maxBandwidthBytes") Long maxBandwidthBytes,
                           @JsonProperty("downtimeLimitMs") Integer downtimeLimitMs,
                           @JsonProperty("capabilities") Map<String, Boolean> capabilities,
                           @JsonProperty("parameters") Map<String, Long> parameters) {
        this.migrationId = migrationId;
        this.uri = uri;
        this.tls = tls;
        this.tlsHostname = tlsHostname;
        this.maxBandwidthBytes = maxBandwidthBytes;
        this.downtimeLimitMs = downtimeLimitMs;
        this.capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
        this.parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** A request without further parameters (the request before they existed). */
    public OutgoingRequest(String migrationId, String uri, boolean tls, String tlsHostname, Long maxBandwidthBytes,
                           Integer downtimeLimitMs, Map<String, Boolean> capabilities) {
        this(migrationId, uri, tls, tlsHostname, maxBandwidthBytes, downtimeLimitMs, capabilities, null);
    }
}

package dev.ferry.agent.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.qemu.qmp.QmpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The complete migration configuration of one end of one migration: a value for every migration
 * capability QEMU has and for every migration parameter Ferry can reset. QEMU keeps capabilities
 * and parameters for the life of the process, and the QEMU that received a VM is the source when it
 * leaves again; setting only what a migration wants therefore let the previous one leak into it (a
 * VM that arrived with post-copy allowed still offered post-copy on its next move, which a fresh
 * destination refused: "RAM postcopy is disabled but have 16 byte advise", seen on the source as
 * {@code failed to save SaveStateEntry ... (ram): -5}). So every migration, on both ends, sends
 * the whole form: what it relies on switched on, everything else back to QEMU's default. Both ends
 * get the caller's capability map, so the capabilities that must match (post-copy, multifd, ...)
 * always do. The lists are QEMU 10.0's (qapi/migration.json, {@code MigrationCapability} and
 * {@code MigrationParameter}; defaults as a fresh QEMU 10.0.2 reports them), checked against the
 * installed QEMU by {@code MigrationSettingsQemuTest}.
 */
record MigrationSettings(Map<String, Boolean> capabilities, Map<String, Object> parameters) {
    /** Every capability of QEMU 10.0, in QEMU's order; all are off in a fresh QEMU. */
    static final List<String> CAPABILITIES = List.of("xbzrle", "rdma-pin-all", "auto-converge", "zero-blocks", "events",
            "postcopy-ram", "x-colo", "release-ram", "return-path", "pause-before-switchover", "multifd", "dirty-bitmaps",
            "postcopy-blocktime", "late-block-activate", "x-ignore-shared", "validate-uuid", "background-snapshot",
            "zero-copy-send", "postcopy-preempt", "switchover-ack", "dirty-limit", "mapped-ram");

    /**
     * QEMU 10.0's default of every migration parameter but two that, once set, cannot be unset and
     * that Ferry never sets: {@code block-bitmap-mapping} (unused: {@code dirty-bitmaps} stays off)
     * and {@code tls-authz}. QEMU reports an unset tls-authz as "", but setting it to "" (or null)
     * makes the TLS server look up an authorization object named "" and refuse every client: the
     * first migration with tls-authz in the form failed at once with "Connection reset by peer".
     */
    static final Map<String, Object> PARAMETER_DEFAULTS = defaults();

    /** QEMU's default downtime limit (DEFAULT_MIGRATE_SET_DOWNTIME). */
    static final long DEFAULT_DOWNTIME_LIMIT_MS = 300;

    MigrationSettings {
        capabilities = Map.copyOf(capabilities);
        parameters = Map.copyOf(parameters);
    }

    /** The source's settings: the request's capabilities, TLS client, bandwidth, downtime and tunables, the rest defaults. */
    static MigrationSettings outgoing(OutgoingRequest req) {
        Map<String, Object> params = new LinkedHashMap<>(PARAMETER_DEFAULTS);
        if (req.tls()) {
            params.put("tls-creds", MigrationQmp.TLS_ID);
            params.put("tls-hostname", req.tlsHostname());
        }
        params.put("max-bandwidth", req.maxBandwidthBytes() == null ? OutgoingRequest.DEFAULT_MAX_BANDWIDTH_BYTES : req.maxBandwidthBytes());
        params.put("downtime-limit", req.downtimeLimitMs() == null ? DEFAULT_DOWNTIME_LIMIT_MS : (long) req.downtimeLimitMs());
        params.putAll(MigrationParameters.checked(req.parameters()));
        return new MigrationSettings(complete(req.capabilities()), params);
    }

    /** The destination's settings: the same capabilities as the source, TLS server, every parameter at its default. */
    static MigrationSettings incoming(IncomingRequest req) {
        Map<String, Object> params = new LinkedHashMap<>(PARAMETER_DEFAULTS);
        if (req.tls()) params.put("tls-creds", MigrationQmp.TLS_ID);
        return new MigrationSettings(complete(req.capabilities()), params);
    }

    /** The same settings with {@code extra} capabilities switched on or off (the disk mirror's pause at the switchover). */
    MigrationSettings withCapabilities(Map<String, Boolean> extra) {
        complete(extra);
        Map<String, Boolean> caps = new LinkedHashMap<>(capabilities);
        caps.putAll(extra);
        return new MigrationSettings(caps, parameters);
    }

    /**
     * Sends the whole form: {@code migrate-set-capabilities} with every capability, then
     * {@code migrate-set-parameters} with every parameter (capabilities first: QEMU checks some
     * parameters against the capabilities in force). QEMU refuses both while a migration runs.
     */
    void applyTo(QmpClient qmp) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : CAPABILITIES) list.add(Map.of("capability", name, "state", capabilities.get(name)));
        MigrationQmp.setCapabilityList(qmp, list, enabled());
        MigrationQmp.setParameters(qmp, new TreeMap<>(parameters));
    }

    /** The capabilities switched on, sorted, for messages and logs. */
    List<String> enabled() {
        return capabilities.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    /** A value for every capability: the requested ones as given, all others off. Unknown names are refused. */
    static Map<String, Boolean> complete(Map<String, Boolean> requested) {
        for (Map.Entry<String, Boolean> e : new TreeMap<>(requested).entrySet()) {
            if (!CAPABILITIES.contains(e.getKey())) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "unknown migration capability '" + e.getKey()
                        + "' (QEMU's are: " + String.join(", ", CAPABILITIES) + ")");
            }
            if (e.getValue() == null) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "migration capability '" + e.getKey() + "' needs true or false");
            }
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String name : CAPABILITIES) out.put(name, requested.getOrDefault(name, false));
        return out;
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("announce-initial", 50L);
        d.put("announce-max", 550L);
        d.put("announce-rounds", 5L);
        d.put("announce-step", 100L);
        d.put("throttle-trigger-threshold", 50L);
        d.put("cpu-throttle-initial", 20L);
        d.put("cpu-throttle-increment", 10L);
        d.put("cpu-throttle-tailslow", false);
        d.put("tls-creds", "");
        d.put("tls-hostname", "");
        d.put("max-bandwidth", OutgoingRequest.DEFAULT_MAX_BANDWIDTH_BYTES);
        d.put("avail-switchover-bandwidth", 0L);
        d.put("downtime-limit", DEFAULT_DOWNTIME_LIMIT_MS);
        d.put("x-checkpoint-delay", 20_000L);
        d.put("multifd-channels", 2L);
        d.put("xbzrle-cache-size", 64L << 20);
        d.put("max-postcopy-bandwidth", 0L);
        d.put("max-cpu-throttle", 99L);
        d.put("multifd-compression", "none");
        d.put("multifd-zlib-level", 1L);
        d.put("multifd-qatzip-level", 1L);
        d.put("multifd-zstd-level", 1L);
        d.put("x-vcpu-dirty-limit-period", 1000L);
        d.put("vcpu-dirty-limit", 1L);
        d.put("mode", "normal");
        d.put("zero-page-detection", "multifd");
        d.put("direct-io", false);
        return java.util.Collections.unmodifiableMap(d);
    }
}

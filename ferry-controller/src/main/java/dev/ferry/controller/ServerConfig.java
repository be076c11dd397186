package dev.ferry.controller;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.controller.store.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's configuration file ({@code ferry server --config server.yaml}): where it listens,
 * its certificate, its state directory, the database (SQLite in the state directory unless a
 * PostgreSQL JDBC URL is given) and the hosts to register at start.
 */
public record ServerConfig(String listen, String stateDir, String tlsDir, Database database, List<Host> hosts,
                           Integer syncIntervalSeconds, Capacity capacity, Integer monitorSeconds, Backup backup) {

    public record Database(String jdbcUrl, String user, String password) {}

    public record Host(String name, String url) {}

    /**
     * How much of each host the assessment may hand out ({@code capacity:} in the file; every key
     * optional, see {@link dev.ferry.controller.assess.CapacityPolicy} for the defaults):
     * overcommit ratios of memory and vCPUs, memory and vCPUs reserved for the host itself, QEMU's
     * memory overhead per VM, how long a proof that a pool is shared stays valid, and the same keys
     * per host under {@code hosts:} to override them for one host.
     */
    public record Capacity(Double memoryOvercommit, Double cpuOvercommit, Long reservedMemoryMiB, Integer reservedVcpus,
                           Long vmOverheadMiB, Integer poolProofMaxAgeSeconds, java.util.Map<String, Capacity> hosts) {}

    /** Pre-migration backups: how long one is kept after the post-migration checks passed (default 24 h). */
    public record Backup(Integer retentionHours) {}


    public ServerConfig {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** A configuration with the default capacity policy and the safety defaults (monitoring 10 s, backups kept 24 h). */
    public ServerConfig(String listen, String stateDir, String tlsDir, Database database, List<Host> hosts,
                        Integer syncIntervalSeconds) {
        this(listen, stateDir, tlsDir, database, hosts, syncIntervalSeconds, null);
    }

    /** A configuration with the given capacity policy and the safety defaults. */
    public ServerConfig(String listen, String stateDir, String tlsDir, Database database, List<Host> hosts,
                        Integer syncIntervalSeconds, Capacity capacity) {
        this(listen, stateDir, tlsDir, database, hosts, syncIntervalSeconds, capacity, null, null);
    }

    public static ServerConfig load(Path file) {
        ServerConfig c;
        try {
            c = Json.yaml().readValue(file.toFile(), ServerConfig.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "cannot read server config " + file + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> p = new ArrayList<>();
        if (c.listen == null || !c.listen.matches(".+:\\d+")) p.add("listen must be host:port");
        if (c.stateDir == null) p.add("stateDir is required");
        if (c.tlsDir == null) p.add("tlsDir is required (a directory issued by 'ferry pki issue')");
        if (c.monitorSeconds != null && (c.monitorSeconds < 0 || c.monitorSeconds > 3600)) p.add("monitorSeconds must be between 0 and 3600");
        if (c.backup != null && c.backup.retentionHours() != null && c.backup.retentionHours() < 0) p.add("backup.retentionHours must be at least 0");
        if (!p.isEmpty()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, file + ": " + String.join("; ", p));
        return c;
    }

    public DatabaseConfig databaseConfig() {
        if (database == null || database.jdbcUrl() == null) return DatabaseConfig.sqlite(Path.of(stateDir, "ferry.db"));
        return new DatabaseConfig(database.jdbcUrl(), database.user(), database.password());
    }

    public String listenHost() { return listen.substring(0, listen.lastIndexOf(':')); }

    public int listenPort() { return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)); }

    /** The migration-safety defaults: monitoring window and backup retention. */
    public dev.ferry.controller.safety.SafetySettings safety() {
        return dev.ferry.controller.safety.SafetySettings.of(monitorSeconds, backup == null ? null : backup.retentionHours());
    }

    public int syncSeconds() { return syncIntervalSeconds == null ? 5 : syncIntervalSeconds; }
}

package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * A user's request to move a VM to another host. Every field but {@code vm} and {@code to} is
 * optional, so requests written before the migration modes existed still mean what they meant: a
 * live migration with Ferry's defaults.
 *
 * @param maxDowntimeMs      the longest pause the guest may see at switchover (QEMU's downtime-limit); default 300
 * @param bandwidthMiBps     cap on the migration stream (and on disk copies), MiB/s; null for no cap
 * @param insecure           send the stream in plaintext instead of TLS; must be asked for explicitly
 * @param mode               {@code live} (default: pre-copy, adaptive), {@code warm} (pause, copy, resume)
 *                           or {@code cold} (shut down, copy disks, start on the destination)
 * @param allowPostcopy      live only: Ferry may switch to post-copy. During post-copy the guest's memory is
 *                           split between the hosts, so a failure of either host then loses the VM
 * @param allowThrottle      live only: Ferry may slow the guest's vCPUs (QEMU auto-converge) to converge
 * @param maxDurationSeconds longest the transfer may take; the live planner refuses or escalates to meet it
 * @param keepSource         cold only: keep the source's disk images (and nothing else) after a successful move
 * @param storage            where local (not shared) disks are copied to and in which format; null for the defaults
 * @param backup             keep a point-in-time copy of the VM's disks, taken before anything moves, until the
 *                           post-migration checks pass (the point {@code ferry migration rollback --to-backup} restores)
 * @param monitorSeconds     how long after the switchover the post-migration checks watch the guest; null for the default
 * @param rollbackOnFailedCheck move the VM back to its source when a post-migration check fails
 */
public record MigrationRequest(String vm, String to, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean insecure,
                               String mode, Boolean allowPostcopy, Boolean allowThrottle, Integer maxDurationSeconds,
                               Boolean keepSource, StorageOptions storage, Boolean backup, Integer monitorSeconds,
                               Boolean rollbackOnFailedCheck) {
    public static final String LIVE = "live";
    public static final String WARM = "warm";
    public static final String COLD = "cold";

    @JsonCreator
    public MigrationRequest(@JsonProperty("vm") String vm, @JsonProperty("to") String to,
                            @JsonProperty("maxDowntimeMs") Integer maxDowntimeMs,
                            @JsonProperty("bandwidthMiBps") Integer bandwidthMiBps,
                            @JsonProperty("insecure") Boolean insecure, @JsonProperty("mode") String mode,
                            @JsonProperty("allowPostcopy") Boolean allowPostcopy,
                            @JsonProperty("allowThrottle") Boolean allowThrottle,
                            @JsonProperty("maxDurationSeconds") Integer maxDurationSeconds,
                            @JsonProperty("keepSource") Boolean keepSource,
                            @JsonProperty("storage") StorageOptions storage,
                            @JsonProperty("backup") Boolean backup,
                            @JsonProperty("monitorSeconds") Integer monitorSeconds,
                            @JsonProperty("rollbackOnFailedCheck") Boolean rollbackOnFailedCheck) {
        this.vm = vm;
        this.to = to;
        this.maxDowntimeMs = maxDowntimeMs;
        this.bandwidthMiBps = bandwidthMiBps;
        this.insecure = insecure;
        this.mode = mode == null ? null : mode.toLowerCase(Locale.ROOT);
        this.allowPostcopy = allowPostcopy;
        this.allowThrottle = allowThrottle;
        this.maxDurationSeconds = maxDurationSeconds;
        this.keepSource = keepSource;
        this.storage = storage;
        this.backup = backup;
        this.monitorSeconds = monitorSeconds;
        this.rollbackOnFailedCheck = rollbackOnFailedCheck;
    }

    /** A request without backup and with the default post-migration monitoring. */
    public MigrationRequest(String vm, String to, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean insecure, String mode,
                            Boolean allowPostcopy, Boolean allowThrottle, Integer maxDurationSeconds, Boolean keepSource,
                            StorageOptions storage) {
        this(vm, to, maxDowntimeMs, bandwidthMiBps, insecure, mode, allowPostcopy, allowThrottle, maxDurationSeconds, keepSource,
                storage, null, null, null);
    }

    /** A request with the default handling of local disks (see {@link StorageOptions}). */
    public MigrationRequest(String vm, String to, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean insecure, String mode,
                            Boolean allowPostcopy, Boolean allowThrottle, Integer maxDurationSeconds, Boolean keepSource) {
        this(vm, to, maxDowntimeMs, bandwidthMiBps, insecure, mode, allowPostcopy, allowThrottle, maxDurationSeconds, keepSource, null);
    }

    /** A live migration with Ferry's defaults for everything not given (the request before modes existed). */
    public MigrationRequest(String vm, String to, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean insecure) {
        this(vm, to, maxDowntimeMs, bandwidthMiBps, insecure, null, null, null, null, null, null);
    }

    /** Where and how local disks are copied; never null. */
    @JsonIgnore
    public StorageOptions storageOrDefault() { return storage == null ? StorageOptions.DEFAULT : storage; }

    public int maxDowntimeOrDefault() { return maxDowntimeMs == null ? 300 : maxDowntimeMs; }

    /** live, warm or cold; live when not given. */
    public String modeOrDefault() { return mode == null ? LIVE : mode; }

    @JsonIgnore
    public boolean isInsecure() { return Boolean.TRUE.equals(insecure); }

    @JsonIgnore
    public boolean postcopyAllowed() { return Boolean.TRUE.equals(allowPostcopy); }

    @JsonIgnore
    public boolean throttleAllowed() { return Boolean.TRUE.equals(allowThrottle); }

    @JsonIgnore
    public boolean keepsSource() { return Boolean.TRUE.equals(keepSource); }

    @JsonIgnore
    public boolean wantsBackup() { return Boolean.TRUE.equals(backup); }

    @JsonIgnore
    public boolean rollsBackOnFailedCheck() { return Boolean.TRUE.equals(rollbackOnFailedCheck); }

    /** The same request sent to another destination (a plan's {@code auto} destination once chosen, a rollback's way back). */
    public MigrationRequest withDestination(String host) {
        return new MigrationRequest(vm, host, maxDowntimeMs, bandwidthMiBps, insecure, mode, allowPostcopy, allowThrottle,
                maxDurationSeconds, keepSource, storage, backup, monitorSeconds, rollbackOnFailedCheck);
    }

    /** The bandwidth cap in bytes per second, null when uncapped. */
    @JsonIgnore
    public Long bandwidthBytesPerSec() { return bandwidthMiBps == null ? null : bandwidthMiBps * 1024L * 1024L; }
}

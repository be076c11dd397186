package dev.ferry.api.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
/**
 * A user's request to move a running VM to another host.
 *
 * @param maxDowntimeMs  the longest pause the guest may see at switchover (QEMU's downtime-limit); default 300
 * @param bandwidthMiBps cap on the migration stream, MiB/s; null for no cap
 * @param insecure       send the stream in plaintext instead of TLS; must be asked for explicitly
 */
public record MigrationRequest(String vm, String to, Integer maxDowntimeMs, Integer bandwidthMiBps, Boolean insecure) {
    public int maxDowntimeOrDefault() { return maxDowntimeMs == null ? 300 : maxDowntimeMs; }

    @JsonIgnore
    public boolean isInsecure() { return Boolean.TRUE.equals(insecure); }
}

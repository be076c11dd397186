package dev.ferry.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller's registry of host agents. It exists so registration, heartbeats and the host
 * list survive controller restarts. All methods throw {@code FerryException(IO_ERROR)} when the
 * database fails.
 */
public interface HostStore {
    /** Inserts the host or replaces every field of the existing row with that name. */
    void upsert(HostRecord h);

    Optional<HostRecord> find(String name);

    /** All hosts, ordered by name. */
    List<HostRecord> all();

    /** True if a host was deleted. */
    boolean delete(String name);

    /**
     * Records a heartbeat: sets {@code lastSeenAt}, and {@code status} and {@code infoJson} unless
     * they are null (null keeps the stored value). Throws {@code HOST_NOT_FOUND} for an unknown host.
     */
    void touch(String name, Instant seen, String status, String infoJson);
}

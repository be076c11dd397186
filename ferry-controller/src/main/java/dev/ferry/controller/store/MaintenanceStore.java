package dev.ferry.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which hosts are in maintenance mode, kept in the database so the flag survives controller
 * restarts: a host in maintenance takes no incoming migration and is never recommended.
 */
public interface MaintenanceStore {
    /** One host in maintenance: since when, and why (free text, may be null). */
    record Entry(String host, Instant since, String reason) {}

    /** Puts {@code host} into maintenance; an existing entry keeps its {@code since} and gets the new reason. */
    void enable(String host, String reason);

    /** True if the host was in maintenance. */
    boolean disable(String host);

    Optional<Entry> find(String host);

    /** All hosts in maintenance, by name. */
    List<Entry> all();
}

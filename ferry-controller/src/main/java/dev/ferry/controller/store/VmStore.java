package dev.ferry.controller.store;

import java.util.List;
import java.util.Optional;

/**
 * The controller's inventory of VMs across hosts. It exists so "which host runs VM x" is answered
 * without asking every agent, and so a host's report replaces that host's slice of the inventory
 * atomically ({@link #replaceHost}). VM names are unique across the cluster. All methods throw
 * {@code FerryException(IO_ERROR)} when the database fails.
 */
public interface VmStore {
    /** Inserts the VM or replaces the row with that name (which may move it to another host). */
    void upsert(VmRecord v);

    Optional<VmRecord> find(String name);

    /** All VMs, ordered by name. */
    List<VmRecord> all();

    /** The VMs on {@code host}, ordered by name. */
    List<VmRecord> onHost(String host);

    /**
     * Inventory sync for one host, in one transaction: deletes that host's rows whose names are not
     * in {@code vms}, then upserts every record of {@code vms}. Each record must name {@code host}
     * (else {@code INVALID_ARGUMENT}).
     */
    void replaceHost(String host, List<VmRecord> vms);

    /** True if a VM was deleted. */
    boolean delete(String name);
}

package dev.ferry.api.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Clones a VM (or deploys one from a template) on the same host. The clone gets a new identity:
 * its own name, a new uuid and new MAC addresses.
 *
 * @param name   the new VM's name
 * @param linked true: each disk of the clone is a qcow2 overlay on the source's image (which becomes
 *               a read-only base); false: a full, independent copy
 * @param pool   the pool for the clone's images; null for the source disk's pool (linked clones
 *               must stay in the base's pool)
 */
public record CloneRequest(String name, Boolean linked, String pool) {
    @JsonIgnore
    public boolean isLinked() { return Boolean.TRUE.equals(linked); }
}

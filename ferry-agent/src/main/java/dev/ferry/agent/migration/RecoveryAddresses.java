package dev.ferry.agent.migration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each destination QEMU listens for the recovery of its paused post-copy. It belongs to one
 * QEMU process, not to the VM: a VM that arrived here, left and came back runs in a new QEMU, and an
 * address its earlier QEMU listened on must never be handed to a source as the new one's (it would
 * connect to nothing, or to whatever took the port). Keyed by VM name and QEMU pid; recording an
 * address for a new QEMU of a VM forgets its earlier QEMUs' addresses.
 */
final class RecoveryAddresses {
    private record Key(String vm, long pid) {}

    private final Map<Key, String> uris = new ConcurrentHashMap<>();

    /** The address the VM's QEMU {@code pid} listens on for its recovery, if this agent made it listen. */
    Optional<String> of(String vm, long pid) {
        forgetOthers(vm, pid);
        return Optional.ofNullable(uris.get(new Key(vm, pid)));
    }

    void record(String vm, long pid, String uri) {
        forgetOthers(vm, pid);
        uris.put(new Key(vm, pid), uri);
    }

    private void forgetOthers(String vm, long pid) {
        uris.keySet().removeIf(k -> k.vm().equals(vm) && k.pid() != pid);
    }
}

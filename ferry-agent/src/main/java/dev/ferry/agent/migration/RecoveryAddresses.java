package dev.ferry.agent.migration;

import dev.ferry.agent.state.QemuFacts;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where each destination QEMU listens for the recovery of its paused post-copy. It belongs to one
 * QEMU process, not to the VM: a VM that arrived here, left and came back runs in a new QEMU, and an
 * address its earlier QEMU listened on must never be handed to a source as the new one's (it would
 * connect to nothing, or to whatever took the port). Keyed by VM name and QEMU process
 * ({@link QemuFacts}); recording an address for a new QEMU of a VM forgets its earlier QEMUs'
 * addresses. Kept in the state dir, so an agent restarted during a paused post-copy still hands
 * out the address its QEMU already listens on.
 */
final class RecoveryAddresses {
    private final QemuFacts facts;

    /** In memory only (tests). */
    RecoveryAddresses() { this(null); }

    RecoveryAddresses(Path dir) { this.facts = new QemuFacts(dir); }

    /** The address the VM's QEMU {@code pid} listens on for its recovery, if this agent made it listen. */
    Optional<String> of(String vm, long pid) { return facts.of(vm, pid); }

    void record(String vm, long pid, String uri) { facts.record(vm, pid, uri); }
}

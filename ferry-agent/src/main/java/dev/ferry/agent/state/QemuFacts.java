package dev.ferry.agent.state;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fact per VM that holds only for the QEMU process it was learned from (where that QEMU
 * listens for a post-copy recovery; that this agent switched it to post-copy), kept in the state
 * dir so that an agent restarted while the same QEMU runs on still knows it. A fact names its
 * QEMU by pid and the process's start time, so a new QEMU of the VM, or an unrelated process that
 * got the pid after a host reboot, never inherits it; asking about another QEMU of the VM forgets
 * the fact.
 */
public final class QemuFacts {
    /** {@code startedAt} is null where the start time cannot be read; then only the pid is compared. */
    public record Fact(String vm, long pid, Instant startedAt, String value) {}

    private final StateFiles<Fact> files;
    private final Map<String, Fact> facts = new ConcurrentHashMap<>();

    /** Facts kept in {@code dir}, or in memory only when it is null. */
    public QemuFacts(Path dir) {
        this.files = dir == null ? null : new StateFiles<>(dir, Fact.class);
        if (files != null) files.loadAll().forEach(f -> facts.put(f.vm(), f));
    }

    /** The fact about VM {@code vm}'s QEMU {@code pid}, if one was recorded for that very process. */
    public Optional<String> of(String vm, long pid) {
        Fact f = facts.get(vm);
        if (f == null) return Optional.empty();
        if (f.pid() == pid && (f.startedAt() == null || f.startedAt().equals(startOf(pid)))) return Optional.of(f.value());
        forget(vm);
        return Optional.empty();
    }

    public void record(String vm, long pid, String value) {
        Fact f = new Fact(vm, pid, startOf(pid), value);
        facts.put(vm, f);
        if (files != null) files.save(vm, f);
    }

    public void forget(String vm) {
        facts.remove(vm);
        if (files != null) files.delete(vm);
    }

    private static Instant startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    }
}

package dev.ferry.controller.assess;

import java.util.HashMap;
import java.util.Map;

/**
 * Resources already promised to (positive) or freed on (negative) each host by moves planned but
 * not yet reflected in the inventory: memory, vCPUs and bytes per pool. A plan validates its items
 * in order and records each accepted move here, so the capacity checks of later items see it.
 * Not thread-safe: one ledger belongs to one validation or one runner.
 */
public final class CapacityLedger {
    /** Memory (MiB), vCPUs and pool bytes by pool name committed to one host. */
    public record Load(long memoryMiB, int vcpus, Map<String, Long> poolBytes) {
        public static final Load NONE = new Load(0, 0, Map.of());

        public long poolBytes(String pool) { return poolBytes.getOrDefault(pool, 0L); }
    }

    private final Map<String, Load> byHost = new HashMap<>();

    public static CapacityLedger empty() { return new CapacityLedger(); }

    /** What has been committed to {@code host} so far. */
    public Load on(String host) { return byHost.getOrDefault(host, Load.NONE); }

    /** Records a move: the VM's memory and vCPUs leave {@code from} and arrive on {@code to}, with {@code bytes} in {@code pool} of {@code to}. */
    public void move(String from, String to, long memoryMiB, int vcpus, String pool, long bytes) {
        add(from, -memoryMiB, -vcpus, null, 0);
        add(to, memoryMiB, vcpus, pool, bytes);
    }

    private void add(String host, long memoryMiB, int vcpus, String pool, long bytes) {
        Load l = on(host);
        Map<String, Long> pools = new HashMap<>(l.poolBytes());
        if (pool != null && bytes != 0) pools.merge(pool, bytes, Long::sum);
        byHost.put(host, new Load(l.memoryMiB() + memoryMiB, l.vcpus() + vcpus, Map.copyOf(pools)));
    }
}

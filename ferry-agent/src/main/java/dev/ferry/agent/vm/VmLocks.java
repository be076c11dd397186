package dev.ferry.agent.vm;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per VM name, so two operations on the same VM never interleave while operations on
 * different VMs run in parallel. A caller that cannot get the lock within a short wait is told the
 * VM is busy (a retriable error) instead of queueing behind a long shutdown or migration.
 */
public final class VmLocks {
    private static final long WAIT_SECONDS = 5;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T with(String name, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        try {
            if (!lock.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new FerryException(ErrorCode.VM_BUSY, "VM '" + name + "' is busy with another operation; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.VM_BUSY, "interrupted while waiting for VM '" + name + "'");
        }
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}

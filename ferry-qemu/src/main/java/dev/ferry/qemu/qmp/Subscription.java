package dev.ferry.qemu.qmp;

/**
 * The handle of a registered {@link QmpEventListener}; closing it removes the listener. It exists so
 * that callers can use try-with-resources for listeners that only matter during one operation.
 * Closing twice is harmless.
 */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}

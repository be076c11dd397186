package dev.ferry.agent.testing;

/**
 * Tears down a test cluster's parts in order (controller, then agents, then directories), each one
 * even when an earlier one failed, so one broken agent does not leave QEMUs or directories behind.
 * The clusters of several modules' tests need the same order of guarantees; this saves each of them
 * a ladder of nested try/finally blocks.
 */
public final class CloseAll {
    private CloseAll() {}

    /**
     * Closes every non-null part in the given order. Throws the first failure (a checked one wrapped
     * in IllegalStateException), with the later failures added as suppressed.
     */
    public static void close(AutoCloseable... parts) {
        Throwable first = null;
        for (AutoCloseable p : parts) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Throwable t) {
                if (first == null) first = t;
                else first.addSuppressed(t);
            }
        }
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error e) throw e;
        if (first != null) throw new IllegalStateException("closing failed: " + first.getMessage(), first);
    }
}

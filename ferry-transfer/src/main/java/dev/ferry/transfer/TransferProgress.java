package dev.ferry.transfer;

import dev.ferry.api.transfer.TransferStatus;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one side of a transfer; {@link #status()} is a consistent-enough snapshot for polling. */
public final class TransferProgress {
    final String transferId;
    final String role;
    final long startNanos = System.nanoTime();
    volatile String state = "waiting";
    volatile String path;
    volatile long virtualSize;
    volatile String digest;
    volatile String error;
    volatile long endNanos;
    final AtomicLong doneBytes = new AtomicLong();
    final AtomicLong dataBytes = new AtomicLong();
    final AtomicLong wireBytes = new AtomicLong();
    final AtomicLong chunksSent = new AtomicLong();
    final AtomicLong chunksSkipped = new AtomicLong();
    final AtomicLong chunksRejected = new AtomicLong();
    final AtomicInteger connections = new AtomicInteger();

    public TransferProgress(String transferId, String role, String path) {
        this.transferId = transferId;
        this.role = role;
        this.path = path;
    }

    void state(String s) {
        state = s;
        if (s.equals("done") || s.equals("failed") || s.equals("cancelled")) endNanos = System.nanoTime();
    }

    void fail(String why) {
        if (error == null) error = why;
        state("failed");
    }

    public String state() { return state; }

    public TransferStatus status() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return new TransferStatus(transferId, role, state, path, virtualSize, doneBytes.get(), dataBytes.get(), wireBytes.get(),
                chunksSent.get(), chunksSkipped.get(), chunksRejected.get(), Math.max(0, connections.get() - 1), digest, error,
                (end - startNanos) / 1_000_000);
    }
}

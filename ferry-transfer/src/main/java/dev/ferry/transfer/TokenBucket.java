package dev.ferry.transfer;

import java.util.function.LongSupplier;

/**
 * A token bucket that caps a sender at {@code rate} bytes per second with bursts of at most
 * {@code burst} bytes. {@link #acquire} may take more than the burst at once (a whole frame); the
 * bucket then goes into debt and the next callers wait it off, so the long-run rate holds while
 * frames are never split. A rate of 0 means uncapped.
 */
public final class TokenBucket {
    private final long rate;
    private final long burst;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private double tokens;
    private long last;

    /** Sleeps for the given nanoseconds (replaceable in tests). */
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    public TokenBucket(long bytesPerSecond) {
        this(bytesPerSecond, Math.max(64 << 10, bytesPerSecond / 20), System::nanoTime,
                n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000)));
    }

    public TokenBucket(long bytesPerSecond, long burst, LongSupplier nanoClock, Sleeper sleeper) {
        this.rate = bytesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.last = nanoClock.getAsLong();
        this.tokens = burst;
    }

    public boolean isCapped() { return rate > 0; }

    /** Takes {@code bytes} tokens, sleeping as long as the bucket is in debt. */
    public synchronized void acquire(long bytes) throws InterruptedException {
        if (rate <= 0) return;
        refill();
        tokens -= bytes;
        while (tokens < 0) {
            long waitNanos = (long) Math.ceil(-tokens * 1e9 / rate);
            sleeper.sleep(waitNanos);
            refill();
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * (double) rate / 1e9);
        last = now;
    }
}

package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bucket on a fake clock: no test waits in real time. */
class TokenBucketTest {
    @Test
    void longRunRateHoldsEvenWithFramesLargerThanTheBurst() throws InterruptedException {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(1_000_000, 100_000, now::get, now::addAndGet); // sleeping advances the clock
        for (int i = 0; i < 25; i++) b.acquire(400_000); // 10 MB in frames 4x the burst
        double seconds = now.get() / 1e9;
        assertThat(seconds).isBetween(9.85, 10.0); // 10 MB at 1 MB/s, less the initial burst
    }

    @Test
    void idleTimeFillsOnlyUpToTheBurst() throws InterruptedException {
        AtomicLong now = new AtomicLong();
        TokenBucket b = new TokenBucket(1_000_000, 100_000, now::get, now::addAndGet);
        now.addAndGet(60_000_000_000L); // a minute idle
        long before = now.get();
        b.acquire(1_100_000);
        assertThat((now.get() - before) / 1e9).isBetween(0.99, 1.01); // only 100 kB were saved up, not 60 MB
    }

    @Test
    void zeroRateIsUncapped() throws InterruptedException {
        TokenBucket b = new TokenBucket(0, 0, () -> 0, n -> { throw new AssertionError("slept"); });
        b.acquire(Long.MAX_VALUE / 2);
        assertThat(b.isCapped()).isFalse();
    }
}

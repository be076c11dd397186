package dev.ferry.qemu.qmp;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One shared daemon timer for command and event-wait deadlines of all clients (a thread per client
 * would be wasteful: deadlines are rare and cheap), plus the duration wording used in messages.
 */
final class Timeouts {
    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private Timeouts() {}

    static ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return TIMER.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** "30s", "1.5s", "250ms", "2m", "1m30s": short enough for one-line error messages. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) {
            return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }

    static void checkPositive(Duration timeout, String what) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + timeout);
        }
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qmp-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}

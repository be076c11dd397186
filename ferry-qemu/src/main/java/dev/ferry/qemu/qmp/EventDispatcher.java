package dev.ferry.qemu.qmp;

import dev.ferry.api.error.FerryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners on one thread of its own, in arrival order, so that a slow or
 * failing listener can never hold up command replies (which the reader thread completes). Event
 * waits are listeners too; when the connection ends they fail after the events already queued have
 * been delivered, so an event QEMU sent just before exiting (SHUTDOWN) still reaches its waiter.
 */
final class EventDispatcher {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final Path socket;
    private final ExecutorService executor;
    private final List<QmpEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile FerryException closedCause;

    EventDispatcher(Path socket) {
        this.socket = socket;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = QmpConnection.daemon("qmp-events[" + socket + "]").newThread(r);
            thread = t;
            return t;
        });
    }

    Subscription add(QmpEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void dispatch(QmpEvent event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            log.debug("Dropped QMP event {} from {}: the client is closed", event.name(), socket);
        }
    }

    /** A future for the first matching event delivered after this call; see {@link QmpClient#expectEvent}. */
    CompletableFuture<QmpEvent> expect(Predicate<QmpEvent> match, Duration timeout) {
        Waiter waiter = new Waiter(match, new CompletableFuture<>());
        waiters.add(waiter);
        ScheduledFuture<?> deadline = Timeouts.schedule(() -> waiter.future.completeExceptionally(
                new QmpTimeoutException(null, timeout, "QEMU at " + socket + " sent no matching event within "
                        + Timeouts.format(timeout))), timeout);
        waiter.future.whenComplete((e, error) -> {
            deadline.cancel(false);
            waiters.remove(waiter);
        });
        FerryException cause = closedCause;
        if (cause != null) waiter.future.completeExceptionally(cause);
        return waiter.future;
    }

    boolean isDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    /** Delivers what is queued, then fails open waits with {@code cause} and stops the thread. */
    void shutdown(FerryException cause) {
        closedCause = cause;
        try {
            executor.execute(() -> waiters.forEach(w -> w.future.completeExceptionally(cause)));
        } catch (RejectedExecutionException e) {
            return; // already shut down
        }
        executor.shutdown();
    }

    /** Listeners first, then waits: when a wait completes, every listener has seen its event. */
    private void deliver(QmpEvent event) {
        for (QmpEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.warn("QMP event listener {} failed on event {} from {}: {}",
                        listener, event.name(), socket, QmpConnection.reason(e), e);
            }
        }
        for (Waiter w : waiters) {
            w.offer(event);
        }
    }

    private record Waiter(Predicate<QmpEvent> match, CompletableFuture<QmpEvent> future) {
        void offer(QmpEvent event) {
            if (future.isDone()) return;
            try {
                if (match.test(event)) future.complete(event);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }
}

package dev.ferry.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.FerryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands sent and not yet answered, by request id. It hands out ids, turns a reply into a value or
 * a {@link QmpCommandException}, expires commands at their deadline, and fails all of them at once
 * when the connection ends — so no caller ever waits on a reply that cannot come.
 */
final class PendingCommands {
    /** One registered command: the id to send and the future its reply completes. */
    record Pending(long id, String command, CompletableFuture<JsonNode> future) {}

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile FerryException failure;

    /** Registers a command that must be answered within {@code timeout}. */
    Pending register(String command, Duration timeout) {
        Pending p = new Pending(nextId.getAndIncrement(), command, new CompletableFuture<>());
        pending.put(p.id(), p);
        ScheduledFuture<?> deadline = Timeouts.schedule(() -> expire(p, timeout), timeout);
        p.future().whenComplete((value, error) -> deadline.cancel(false));
        FerryException f = failure;
        if (f != null) fail(p, f); // lost a race with failAll: fail it here, failAll may not have seen it
        return p;
    }

    /**
     * Completes the command a reply belongs to. Returns false for an id nobody waits for (a reply
     * that arrived after its command timed out, or an id this client never sent).
     */
    boolean complete(JsonNode id, JsonNode reply) {
        if (id == null || !id.canConvertToLong()) return false;
        Pending p = pending.remove(id.asLong());
        if (p == null) return false;
        JsonNode error = reply.get("error");
        if (error != null) {
            p.future().completeExceptionally(new QmpCommandException(p.command(),
                    error.path("class").asText("UnknownError"), error.path("desc").asText("(no description)")));
        } else {
            p.future().complete(reply.path("return"));
        }
        return true;
    }

    /** Fails every pending command, and any registered later, with {@code cause}. */
    void failAll(FerryException cause) {
        failure = cause;
        List<Pending> all = new ArrayList<>(pending.values());
        for (Pending p : all) fail(p, cause);
    }

    private void expire(Pending p, Duration timeout) {
        if (pending.remove(p.id(), p)) {
            p.future().completeExceptionally(QmpTimeoutException.forCommand(p.command(), timeout));
        }
    }

    private void fail(Pending p, FerryException cause) {
        pending.remove(p.id(), p);
        p.future().completeExceptionally(cause);
    }
}

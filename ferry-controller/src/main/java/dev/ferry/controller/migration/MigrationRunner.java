package dev.ferry.controller.migration;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a migration's phases in order and, when one fails, the cleanups of every phase that
 * started, newest first, each one even if another throws. It knows nothing about QEMU or hosts;
 * it only enforces the phase contract and reports the outcome.
 */
public final class MigrationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

    /** How a run ended: {@code error} is null on success. */
    public record Outcome(FerryException error, boolean cleanedUp) {
        public boolean succeeded() { return error == null; }
    }

    private final List<Phase> phases;

    public MigrationRunner(List<Phase> phases) {
        this.phases = List.copyOf(phases);
    }

    public Outcome run(MigrationContext ctx) {
        Deque<Phase> started = new ArrayDeque<>();
        try {
            for (Phase p : phases) {
                ctx.checkAbort();
                if (!p.appliesTo(ctx)) continue;
                ctx.journal().phase(p.name());
                started.push(p);
                p.run(ctx);
            }
            return new Outcome(null, false);
        } catch (RuntimeException e) {
            FerryException error = asFerry(e, started.isEmpty() ? "start" : started.peek().name());
            ctx.journal().event("error", error.getMessage());
            boolean clean = rollback(ctx, started);
            return new Outcome(error, clean);
        }
    }

    private boolean rollback(MigrationContext ctx, Deque<Phase> started) {
        boolean clean = true;
        if (!started.isEmpty()) ctx.journal().phase("rollback");
        for (Phase p : started) {
            try {
                p.cleanup(ctx);
            } catch (RuntimeException e) {
                clean = false;
                LOG.warn("cleanup of phase {} of migration {} failed", p.name(), ctx.id(), e);
                ctx.journal().event("error", "cleanup of " + p.name() + " failed: " + e.getMessage());
            }
        }
        return clean;
    }

    private static FerryException asFerry(RuntimeException e, String phase) {
        if (e instanceof FerryException fe) return fe;
        LOG.error("unexpected error in phase {}", phase, e);
        return new FerryException(ErrorCode.INTERNAL, "unexpected error in phase " + phase + ": " + e, e);
    }
}

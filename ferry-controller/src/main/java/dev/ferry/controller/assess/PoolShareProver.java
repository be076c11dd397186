package dev.ferry.controller.assess;

import dev.ferry.api.client.HostProbeClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.PoolMarker;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.store.PoolProofStore;
import dev.ferry.controller.store.PoolProofStore.Proof;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that a pool two hosts declare shared is the same storage instead of trusting their
 * configs: writes a marker file with a random token through the writer's pool, reads it through
 * the reader's pool, and removes it again. The verdict is remembered with its time
 * ({@link PoolProofStore}) and trusted for {@code maxAge}; an older one, or a forced re-proof, is
 * proven again. A proof that could not be made (an agent refused to write or read) counts as not
 * shared and is not remembered, so the next assessment tries again.
 */
public final class PoolShareProver {
    private static final Logger LOG = LoggerFactory.getLogger(PoolShareProver.class);

    private final AgentDirectory agents;
    private final PoolProofStore store;
    private final Duration maxAge;
    private final Clock clock;

    public PoolShareProver(AgentDirectory agents, PoolProofStore store, Duration maxAge, Clock clock) {
        this.agents = agents;
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Whether the shared pool holding {@code path} on {@code writer} is the same storage as its
     * counterpart on {@code reader}: the reader's shared pool holding the same path, else its shared
     * pool of the same name (an operator who declares a pool of that name shared on both hosts
     * claims it is one storage). Null when the writer's pool is not declared shared or the reader
     * has no counterpart: then nothing is claimed, and the disk is simply copied.
     */
    public AssessmentInput.PoolProof proveFor(HostInfo writer, HostInfo reader, String path, boolean force) {
        Optional<HostInfo.PoolInfo> wp = sharedPoolOf(writer, path);
        if (wp.isEmpty()) return null;
        Optional<HostInfo.PoolInfo> rp = sharedPoolOf(reader, path).or(() -> reader.pools().stream()
                .filter(p -> p.shared() && p.name().equals(wp.get().name())).findFirst());
        if (rp.isEmpty()) return null;
        Proof p = prove(writer.name(), wp.get().name(), reader.name(), rp.get().name(), force);
        boolean samePath = Path.of(wp.get().path()).normalize().equals(Path.of(rp.get().path()).normalize());
        return new AssessmentInput.PoolProof(p.shared(), p.detail(), wp.get().name(), wp.get().path(), rp.get().name(), rp.get().path(),
                samePath);
    }

    public Proof prove(String writer, String writerPool, String reader, String readerPool, boolean force) {
        Instant now = clock.instant();
        Optional<Proof> known = store.find(writer, writerPool, reader, readerPool);
        if (!force && known.isPresent() && known.get().provenAt().isAfter(now.minus(maxAge))) return known.get();
        HostProbeClient w = HostProbeClient.of(agents.client(writer));
        HostProbeClient r = HostProbeClient.of(agents.client(reader));
        PoolMarker written;
        try {
            written = w.writeMarker(writerPool);
        } catch (FerryException e) {
            return new Proof(writer, writerPool, reader, readerPool, false, "cannot write a marker into pool '" + writerPool + "' of "
                    + writer + ": " + e.getMessage(), now);
        }
        try {
            PoolMarker seen = r.readMarker(readerPool, written.file());
            boolean shared = seen.found() && written.token().equals(seen.token());
            String detail = "marker " + written.file() + " written through pool '" + writerPool + "' of " + writer + " was "
                    + (shared ? "read back" : seen.found() ? "read with a different token" : "not found") + " through pool '"
                    + readerPool + "' of " + reader + " at " + now;
            Proof p = new Proof(writer, writerPool, reader, readerPool, shared, detail, now);
            store.save(p);
            return p;
        } catch (FerryException e) {
            return new Proof(writer, writerPool, reader, readerPool, false, "cannot read the marker through pool '" + readerPool + "' of "
                    + reader + ": " + e.getMessage(), now);
        } finally {
            try {
                w.removeMarker(writerPool, written.file());
            } catch (FerryException e) {
                LOG.warn("marker {} stays in pool '{}' of {}: {}", written.file(), writerPool, writer, e.getMessage());
            }
        }
    }

    private static Optional<HostInfo.PoolInfo> sharedPoolOf(HostInfo host, String path) {
        Path p = Path.of(path).normalize();
        return host.pools().stream().filter(pool -> pool.shared() && p.startsWith(Path.of(pool.path()).normalize())).findFirst();
    }
}

package dev.ferry.agent.transfer;

import dev.ferry.agent.state.StateFiles;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.transfer.TransferStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk transfers this agent has taken part in, kept in {@code state/transfers/ROLE-ID.json}
 * (the last status seen: written when a transfer starts and whenever its state changes), so a
 * restarted agent can answer for the transfers of its predecessor. One that had not ended is
 * reported {@code failed} with AGENT_RESTARTED: asked again with the same id, a receive resumes
 * from the partial image and journal it kept beside the target, a send starts over against the
 * resumed receiver; cancelling it deletes those partial files. A receive that completed after its
 * last record (the target is there, its partial image is not) is reported done.
 */
final class TransferRecords {
    private static final Logger LOG = LoggerFactory.getLogger(TransferRecords.class);

    private final StateFiles<TransferStatus> files;
    private final Map<String, TransferStatus> saved = new ConcurrentHashMap<>();
    private final Map<String, TransferStatus> past = new ConcurrentHashMap<>();

    TransferRecords(Path dir) {
        this.files = new StateFiles<>(dir, TransferStatus.class);
        for (TransferStatus s : files.loadAll()) {
            TransferStatus now = s.isFinished() ? s : afterRestart(s);
            if (now != s) files.save(key(now), now);
            saved.put(key(now), now);
            past.put(key(now), now);
        }
    }

    private static TransferStatus afterRestart(TransferStatus s) {
        Path target = Path.of(s.path());
        if (s.role().equals("receive") && Files.exists(target) && !Files.exists(partialImage(s.transferId(), target))) {
            return with(s, "done", null);
        }
        String how = s.role().equals("receive")
                ? "prepare the receive again with the same id to resume from the partial image and journal kept beside "
                + target.getFileName() + ", or cancel it to delete them"
                : "send again with the same id to resume against the receiver";
        String why = ErrorCode.AGENT_RESTARTED.name() + ": the agent stopped while this transfer was " + s.state() + "; " + how;
        LOG.warn("transfer {} ({}): {}", s.transferId(), s.role(), why);
        return with(s, "failed", why);
    }

    /** Records {@code s} if its state changed since the last record. */
    TransferStatus seen(TransferStatus s) {
        TransferStatus last = saved.get(key(s));
        if (last == null || !last.state().equals(s.state())) {
            files.save(key(s), s);
            saved.put(key(s), s);
        }
        return s;
    }

    /** A transfer of the previous agent, by role and id. */
    Optional<TransferStatus> past(String role, String id) { return Optional.ofNullable(past.get(role + "-" + id)); }

    /** The previous agent's transfers that the running agent has not taken up again. */
    List<TransferStatus> past() { return List.copyOf(past.values()); }

    /** A transfer of the previous agent is taken up again under the same id. */
    void takenUp(String role, String id) { past.remove(role + "-" + id); }

    /** Cancels a receive of the previous agent: deletes its partial image and journal, keeps a cancelled record. */
    TransferStatus cancelPastReceive(TransferStatus s) {
        Path target = Path.of(s.path());
        try {
            Files.deleteIfExists(partialImage(s.transferId(), target));
            Files.deleteIfExists(target.resolveSibling(".ferry-recv-" + s.transferId() + ".journal"));
        } catch (IOException e) {
            LOG.warn("transfer {}: cannot delete partial files: {}", s.transferId(), e.getMessage());
        }
        TransferStatus c = s.state().equals("done") ? s : with(s, "cancelled", s.error());
        past.put(key(c), c);
        return seen(c);
    }

    /** As the receiver names it ({@link dev.ferry.transfer.DiskReceiver}). */
    static Path partialImage(String id, Path target) { return target.resolveSibling(".ferry-recv-" + id + ".raw"); }

    private static TransferStatus with(TransferStatus s, String state, String error) {
        return new TransferStatus(s.transferId(), s.role(), state, s.path(), s.virtualSize(), s.doneBytes(), s.dataBytes(), s.wireBytes(),
                s.chunksSent(), s.chunksSkipped(), s.chunksRejected(), s.reconnects(), s.digest(), error, s.elapsedMs());
    }

    private static String key(TransferStatus s) { return s.role() + "-" + s.transferId(); }
}

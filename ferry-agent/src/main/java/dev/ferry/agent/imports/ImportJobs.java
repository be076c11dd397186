package dev.ferry.agent.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.state.StateFiles;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.imports.api.JobView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's running and finished import/export jobs. Conversions take minutes, so the API
 * answers at once with a job id and the work runs here, on at most two threads (qemu-img is I/O-
 * and CPU-heavy; more in parallel only slows each down). Every job records its phase and bytes
 * done for the controller to poll, and ends with a result or a catalogue error. Each job is also
 * kept in {@code state/jobs/ID.json} (on every change of phase or state, not on every byte), so a
 * restarted agent still lists it: one that was running when the agent died is reported
 * {@code interrupted} with AGENT_RESTARTED, and what it left half-written is removed.
 */
public final class ImportJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
    private static final int KEEP_FINISHED = 200;
    public static final String INTERRUPTED = "interrupted";

    /** What a job's body can report while it runs. */
    public interface Tracker {
        void update(String phase, long done, long total);

        /** Files the job is about to write (paths or file-name globs), removed should the agent die before it ends. */
        default void willWrite(List<String> paths) {}
    }

    /** Removes the leftovers of a job the previous agent did not finish; returns a note for the job's reason. */
    public interface Salvage {
        String cleanUp(JobRecord interrupted);
    }

    private final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();
    private final StateFiles<JobRecord> store;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "import-job");
        t.setDaemon(true);
        return t;
    });

    /** Jobs kept in {@code store}; those the previous agent left running are marked interrupted after {@code salvage}. */
    public ImportJobs(StateFiles<JobRecord> store, Salvage salvage) {
        this.store = store;
        for (JobRecord r : store.loadAll()) {
            JobRecord kept = r.view().isFinished() ? r : interrupted(r, salvage);
            jobs.put(kept.view().id(), kept);
        }
    }

    private JobRecord interrupted(JobRecord r, Salvage salvage) {
        JobView v = r.view();
        String note = salvage.cleanUp(r);
        String why = "the agent stopped while this " + v.kind() + " was in phase '" + v.phase() + "' (" + v.doneBytes() + " of "
                + v.totalBytes() + " bytes); it did not finish" + (note.isEmpty() ? "" : "; " + note) + "; start it again";
        LOG.warn("job {}: {}", v.id(), why);
        JobRecord done = new JobRecord(new JobView(v.id(), v.kind(), v.vm(), INTERRUPTED, v.phase(), v.doneBytes(), v.totalBytes(),
                ErrorCode.AGENT_RESTARTED.name(), why, null, v.createdAt(), Instant.now()), List.of());
        store.save(v.id(), done);
        return done;
    }

    /** Starts {@code body} as a job of {@code kind} for {@code vm}; its return value becomes the job's result. */
    public JobView submit(String kind, String vm, Function<Tracker, Object> body) {
        String id = UUID.randomUUID().toString();
        JobView v = new JobView(id, kind, vm, "running", "queued", 0, 0, null, null, null, Instant.now(), null);
        put(new JobRecord(v, List.of()));
        prune();
        pool.submit(() -> run(id, body));
        return v;
    }

    public JobView get(String id) {
        JobRecord r = jobs.get(id);
        if (r == null) throw new FerryException(ErrorCode.NOT_FOUND, "no import or export job " + id + " on this agent");
        return r.view();
    }

    public List<JobView> all() {
        return jobs.values().stream().map(JobRecord::view).sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).toList();
    }

    private void run(String id, Function<Tracker, Object> body) {
        try {
            Object result = body.apply(new Tracker() {
                @Override
                public void update(String phase, long done, long total) { progress(id, phase, done, total); }

                @Override
                public void willWrite(List<String> paths) {
                    JobRecord r = jobs.get(id);
                    if (r != null) put(new JobRecord(r.view(), paths));
                }
            });
            JsonNode json = Json.mapper().valueToTree(result);
            finish(id, v -> new JobView(v.id(), v.kind(), v.vm(), "succeeded", "done", v.totalBytes(), v.totalBytes(),
                    null, null, json, v.createdAt(), Instant.now()));
        } catch (RuntimeException e) {
            FerryException fe = e instanceof FerryException f ? f : new FerryException(ErrorCode.INTERNAL, e.toString(), e);
            LOG.warn("job {} failed: {}", id, fe.getMessage());
            finish(id, v -> new JobView(v.id(), v.kind(), v.vm(), "failed", v.phase(), v.doneBytes(), v.totalBytes(),
                    fe.code().name(), fe.getMessage(), null, v.createdAt(), Instant.now()));
        }
    }

    /** Progress in memory on every call; on disk only when the phase changes, so a conversion does not rewrite its file per block. */
    private void progress(String id, String phase, long done, long total) {
        JobRecord r = jobs.get(id);
        if (r == null) return;
        JobView v = r.view();
        JobRecord next = r.with(new JobView(v.id(), v.kind(), v.vm(), v.state(), phase, done, total, null, null, null, v.createdAt(), null));
        if (phase.equals(v.phase())) jobs.put(id, next);
        else put(next);
    }

    private void finish(String id, java.util.function.UnaryOperator<JobView> end) {
        JobRecord r = jobs.get(id);
        if (r != null) put(new JobRecord(end.apply(r.view()), List.of()));
    }

    private void put(JobRecord r) {
        jobs.put(r.view().id(), r);
        store.save(r.view().id(), r);
    }

    private void prune() {
        List<JobView> done = all().stream().filter(JobView::isFinished).toList();
        for (int i = KEEP_FINISHED; i < done.size(); i++) {
            jobs.remove(done.get(i).id());
            store.delete(done.get(i).id());
        }
    }

    @Override
    public void close() { pool.shutdownNow(); }
}

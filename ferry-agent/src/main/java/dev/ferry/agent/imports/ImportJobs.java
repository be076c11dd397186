package dev.ferry.agent.imports;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The agent's running and finished import/export jobs, in memory. Conversions take minutes, so
 * the API answers at once with a job id and the work runs here, on at most two threads (qemu-img
 * is I/O- and CPU-heavy; more in parallel only slows each down). Every job records its phase and
 * bytes done for the controller to poll, and ends with a result or a catalogue error.
 */
public final class ImportJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);
    private static final int KEEP_FINISHED = 200;

    /** What a job's body can report while it runs. */
    public interface Tracker {
        void update(String phase, long done, long total);
    }

    private final Map<String, JobView> jobs = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "import-job");
        t.setDaemon(true);
        return t;
    });

    /** Starts {@code body} as a job of {@code kind} for {@code vm}; its return value becomes the job's result. */
    public JobView submit(String kind, String vm, Function<Tracker, Object> body) {
        String id = UUID.randomUUID().toString();
        JobView v = new JobView(id, kind, vm, "running", "queued", 0, 0, null, null, null, Instant.now(), null);
        jobs.put(id, v);
        prune();
        pool.submit(() -> run(id, body));
        return v;
    }

    public JobView get(String id) {
        JobView v = jobs.get(id);
        if (v == null) throw new FerryException(ErrorCode.NOT_FOUND, "no import or export job " + id + " on this agent");
        return v;
    }

    public List<JobView> all() { return jobs.values().stream().sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).toList(); }

    private void run(String id, Function<Tracker, Object> body) {
        try {
            Object result = body.apply((phase, done, total) -> jobs.computeIfPresent(id, (k, v) -> new JobView(v.id(), v.kind(), v.vm(),
                    v.state(), phase, done, total, null, null, null, v.createdAt(), null)));
            JsonNode json = Json.mapper().valueToTree(result);
            jobs.computeIfPresent(id, (k, v) -> new JobView(v.id(), v.kind(), v.vm(), "succeeded", "done", v.totalBytes(), v.totalBytes(),
                    null, null, json, v.createdAt(), Instant.now()));
        } catch (RuntimeException e) {
            FerryException fe = e instanceof FerryException f ? f : new FerryException(ErrorCode.INTERNAL, e.toString(), e);
            LOG.warn("job {} failed: {}", id, fe.getMessage());
            jobs.computeIfPresent(id, (k, v) -> new JobView(v.id(), v.kind(), v.vm(), "failed", v.phase(), v.doneBytes(), v.totalBytes(),
                    fe.code().name(), fe.getMessage(), null, v.createdAt(), Instant.now()));
        }
    }

    private void prune() {
        List<JobView> done = all().stream().filter(JobView::isFinished).toList();
        for (int i = KEEP_FINISHED; i < done.size(); i++) jobs.remove(done.get(i).id());
    }

    @Override
    public void close() { pool.shutdownNow(); }
}

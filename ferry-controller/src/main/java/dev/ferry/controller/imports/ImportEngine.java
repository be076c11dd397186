package dev.ferry.controller.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationProgress;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.MigrationEventRecord;
import dev.ferry.controller.store.MigrationRecord;
import dev.ferry.controller.store.MigrationStore;
import dev.ferry.controller.store.VmRecord;
import dev.ferry.controller.store.VmStore;
import dev.ferry.imports.ImportOptions;
import dev.ferry.imports.api.ExportRequest;
import dev.ferry.imports.api.ImportClient;
import dev.ferry.imports.api.ImportRequest;
import dev.ferry.imports.api.JobView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports and exports as controller jobs, kept in the same {@code migrations} table as live
 * migrations (mode {@code import} or {@code export}), so they get the same persistence, the same
 * one-job-per-VM lock (the table's partial unique index), and the same progress stream and CLI
 * ({@code ferry migration watch/show/list}). The work itself runs on the target host's agent;
 * this engine creates the job row, hands the request to the agent, and copies the agent job's
 * phase and bytes into the row until it ends. Jobs a previous controller left unfinished are
 * picked up again by the agent job id recorded in their events.
 */
public final class ImportEngine implements AutoCloseable {
    public static final Set<String> MODES = Set.of("import", "export");
    private static final Logger LOG = LoggerFactory.getLogger(ImportEngine.class);
    private static final long POLL_MS = 500;
    private static final Duration UNREACHABLE_LIMIT = Duration.ofMinutes(10);

    private final MigrationStore store;
    private final HostStore hosts;
    private final VmStore vms;
    private final HostRegistry registry;
    private final SSLContext ssl;
    private volatile boolean closed;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "import-follow");
        t.setDaemon(true);
        return t;
    });

    public ImportEngine(MigrationStore store, HostStore hosts, VmStore vms, HostRegistry registry, SSLContext ssl) {
        this.store = store;
        this.hosts = hosts;
        this.vms = vms;
        this.registry = registry;
        this.ssl = ssl;
    }

    /** Starts an import on {@code req.host()}; without a name the agent is asked for a dry run first to learn it. */
    public MigrationView startImport(ImportRequest req) {
        if (req == null || req.host() == null || req.sourcePath() == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "host and sourcePath are required");
        }
        ImportClient agent = client(req.host());
        ImportOptions o = req.optionsOrDefault();
        String name = o.name() != null ? o.name() : agent.plan(req).path("spec").path("name").asText(null);
        if (name == null) throw new FerryException(ErrorCode.INTERNAL, "the agent's dry run named no VM");
        ImportRequest named = new ImportRequest(req.sourcePath(), req.pool(), o.withName(name), req.start(), null, null);
        String id = create(name, req.host(), "import", named);
        return handOver(id, req.host(), () -> agent.startImport(named));
    }

    /** Starts an export of {@code req.vm()} on the host that has it. */
    public MigrationView startExport(ExportRequest req) {
        if (req == null || req.vm() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "vm is required");
        VmRecord vm = vms.find(req.vm()).orElseGet(() -> {
            registry.syncAll();
            return vms.find(req.vm()).orElseThrow(() -> new FerryException(ErrorCode.VM_NOT_FOUND, "no VM named '" + req.vm() + "' on any host"));
        });
        ImportClient agent = client(vm.host());
        String id = create(req.vm(), vm.host(), "export", req);
        return handOver(id, vm.host(), () -> agent.startExport(req.vm(), req));
    }

    /** Follows again the import/export jobs a previous controller left unfinished. */
    public void resume(List<MigrationRecord> unfinished) {
        for (MigrationRecord r : unfinished) {
            if (!MODES.contains(r.mode())) continue;
            String agentJob = store.events(r.id()).stream().filter(e -> e.kind().equals("agent-job")).map(MigrationEventRecord::message)
                    .findFirst().orElse(null);
            if (agentJob == null) {
                store.finish(r.id(), "failed", null, ErrorCode.INTERNAL.name(), "the controller stopped before the agent accepted the job");
            } else {
                store.addEvent(r.id(), "info", "controller restarted; following agent job " + agentJob + " again", null);
                pool.submit(() -> follow(r.id(), r.destHost(), agentJob));
            }
        }
    }

    private String create(String vm, String host, String mode, Object params) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        store.create(new MigrationRecord(id, vm, host, host, mode, "running", "queued", json(params), null, null, null, null, false, now, now, null));
        store.addEvent(id, "info", "VM '" + vm + "' locked for " + mode + " on " + host, null);
        return id;
    }

    private MigrationView handOver(String id, String host, java.util.function.Supplier<JobView> start) {
        JobView job;
        try {
            job = start.get();
        } catch (FerryException e) {
            store.finish(id, "failed", null, e.code().name(), e.getMessage());
            throw e;
        }
        store.addEvent(id, "agent-job", job.id(), null);
        pool.submit(() -> follow(id, host, job.id()));
        return Views.of(store.find(id).orElseThrow(), null);
    }

    /**
     * Copies the agent job's progress into the row until it ends, or until this engine is closed (a
     * blocking call may swallow the interrupt, so the loop also checks the flag); a restarted
     * controller resumes following unfinished jobs.
     */
    void follow(String id, String host, String agentJob) {
        long t0 = System.nanoTime();
        long lastContact = System.nanoTime();
        while (!closed) {
            try {
                JobView j = client(host).job(agentJob);
                lastContact = System.nanoTime();
                store.updatePhase(id, "running", j.phase());
                store.updateStats(id, json(stats(j, t0)));
                if (j.isFinished()) {
                    finish(id, host, j);
                    return;
                }
            } catch (FerryException e) {
                if (e.code() == ErrorCode.NOT_FOUND || System.nanoTime() - lastContact > UNREACHABLE_LIMIT.toNanos()) {
                    store.finish(id, "failed", null, e.code().name(), "lost the agent's job " + agentJob + ": " + e.getMessage());
                    return;
                }
                LOG.warn("import/export job {}: {}", id, e.getMessage());
            } catch (RuntimeException e) {
                store.finish(id, "failed", null, ErrorCode.INTERNAL.name(), e.toString());
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void finish(String id, String host, JobView j) {
        JsonNode result = j.result();
        if (result != null) store.addEvent(id, "report", summary(j), json(result));
        if ("succeeded".equals(j.state())) store.finish(id, "succeeded", null, null, null);
        else store.finish(id, "failed", null, j.errorCode(), j.errorMessage());
        try {
            registry.sync(host);
        } catch (RuntimeException e) {
            LOG.warn("cannot refresh host {} after job {}: {}", host, id, e.getMessage());
        }
    }

    static String summary(JobView j) {
        JsonNode r = j.result();
        if (j.kind().equals("export")) return "exported to " + r.path("files");
        StringBuilder sb = new StringBuilder("imported '" + r.path("vm").path("name").asText() + "' (" + r.path("vm").path("state").asText() + ")");
        for (JsonNode d : r.path("report").path("disks")) {
            sb.append("; ").append(d.path("id").asText()).append(": ").append(d.path("source").asText()).append(" (")
                    .append(d.path("sourceFormat").asText()).append(") -> ").append(d.path("target").asText())
                    .append(d.path("identical").asBoolean() ? ", compared identical" : "");
        }
        for (JsonNode n : r.path("report").path("notes")) {
            if ("warning".equals(n.path("level").asText())) sb.append("; warning ").append(n.path("setting").asText()).append(": ").append(n.path("message").asText());
        }
        return sb.toString();
    }

    /** The agent job's bytes in the shape of migration statistics, so the progress view and ETA work unchanged. */
    static MigrationStats stats(JobView j, long t0) {
        long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        double mbps = j.doneBytes() * 8.0 / 1000.0 / ms;
        String status = !j.isFinished() ? "active" : "succeeded".equals(j.state()) ? "completed" : "failed";
        return new MigrationStats(status, ms, null, null, 0, j.doneBytes(), Math.max(0, j.totalBytes() - j.doneBytes()), j.totalBytes(),
                0, 0, mbps, 0, j.errorMessage());
    }

    private ImportClient client(String host) {
        HostRecord h = hosts.find(host).orElseThrow(() -> new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + host + "' is registered"));
        return new ImportClient(ssl, URI.create(h.apiUrl()));
    }

    /** Routes: {@code POST /v1/imports}, {@code POST /v1/exports}; follow them at {@code /v1/migrations/ID[/watch]}. */
    public void register(io.javalin.config.JavalinConfig c) {
        c.routes.post("/v1/imports", ctx -> {
            ImportRequest req = body(ctx.body(), ImportRequest.class);
            if (req.isDryRun()) ctx.json(client(req.host()).plan(req));
            else ctx.status(202).json(startImport(req));
        });
        c.routes.post("/v1/exports", ctx -> ctx.status(202).json(startExport(body(ctx.body(), ExportRequest.class))));
    }

    static <T> T body(String text, Class<T> type) {
        try {
            return Json.mapper().readValue(text, type);
        } catch (java.io.IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static String json(Object o) {
        try {
            return o == null ? null : Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize " + o.getClass().getSimpleName());
        }
    }

    /** Builds the API view the same way migrations are shown. */
    static final class Views {
        private Views() {}

        static MigrationView of(MigrationRecord r, List<MigrationEvent> events) {
            MigrationStats s = null;
            try {
                s = r.statsJson() == null ? null : Json.mapper().readValue(r.statsJson(), MigrationStats.class);
            } catch (java.io.IOException e) {
                // a row written by another version: shown without progress
            }
            return new MigrationView(r.id(), r.vm(), r.sourceHost(), r.destHost(), r.mode(), r.state(), r.phase(),
                    s == null ? null : MigrationProgress.of(s), null, r.errorCode(), r.errorMessage(), r.createdAt(), r.finishedAt(), events);
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }
}

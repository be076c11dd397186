package dev.ferry.agent.imports;

import dev.ferry.agent.AgentConfig;
import dev.ferry.agent.state.Leftovers;
import dev.ferry.agent.state.StateFiles;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.imports.ImportResult;
import dev.ferry.imports.Importer;
import dev.ferry.imports.api.ExportRequest;
import dev.ferry.imports.api.ImportRequest;
import dev.ferry.imports.api.JobView;
import dev.ferry.imports.export.ExportResult;
import dev.ferry.imports.export.Exporter;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's side of cross-hypervisor moves: an import converts a foreign VM's disks into one of
 * this host's pools and defines the VM (starting it if asked); an export writes a stopped VM as an
 * OVA or as VHDX disks. Both run as {@link ImportJobs}, kept in the state dir. If defining the
 * imported VM fails, the converted disks are deleted, so a failed import leaves nothing on the
 * host; if the agent dies during a job, the next agent removes what the job had begun to write.
 */
public final class ImportService implements AutoCloseable {
    /** An import's result: the VM as defined (and started) and the report. */
    public record Imported(VmInfo vm, dev.ferry.imports.ImportReport report) {}

    private final AgentConfig config;
    private final VmManager vms;
    private final QemuImg qemuImg;
    private final ImportJobs jobs;

    public ImportService(AgentConfig config, VmManager vms, QemuImg qemuImg) {
        this.config = config;
        this.vms = vms;
        this.qemuImg = qemuImg;
        this.jobs = new ImportJobs(new StateFiles<>(Path.of(config.stateDir()).resolve("jobs"), JobRecord.class), this::salvage);
    }

    /** Removes what an interrupted job left half-written, never a disk of a defined VM; says what was removed. */
    private String salvage(JobRecord interrupted) {
        Set<Path> keep = vms.repository().all().stream().flatMap(s -> s.disks().stream())
                .map(d -> Path.of(d.path()).toAbsolutePath().normalize()).collect(Collectors.toSet());
        List<Path> removed = Leftovers.remove(interrupted.leftovers(), keep);
        return removed.isEmpty() ? "" : "removed its partial output " + removed;
    }

    public ImportJobs jobs() { return jobs; }

    /** A dry run: what would be imported, synchronously. */
    public ImportResult plan(ImportRequest req) {
        return new Importer(qemuImg).plan(source(req), req.optionsOrDefault(), pool(req.pool()));
    }

    public JobView startImport(ImportRequest req) {
        Path source = source(req);
        Path pool = pool(req.pool());
        String name = req.optionsOrDefault().name();
        if (name != null && vms.repository().exists(name)) throw exists(name);
        return jobs.submit("import", name, t -> {
            t.willWrite(List.of(pool.resolve(".ferry-import-*").toString()));
            ImportResult r = new Importer(qemuImg).run(source, req.optionsOrDefault(), pool, t::update, plan -> {
                if (vms.repository().exists(plan.spec().name())) throw exists(plan.spec().name());
                List<String> writes = new ArrayList<>(List.of(pool.resolve(".ferry-import-*").toString()));
                plan.spec().disks().forEach(d -> writes.add(d.path()));
                t.willWrite(writes);
            });
            t.update("define", 1, 1);
            VmInfo info = define(r.spec());
            if (req.isStart()) {
                t.update("start", 1, 1);
                info = vms.start(info.name());
            }
            return new Imported(info, r.report());
        });
    }

    public JobView startExport(String name, ExportRequest req) {
        VmSpec spec = vms.spec(name);
        if (req == null || req.out() == null || !req.out().startsWith("/")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "export needs an absolute output path (out)");
        }
        String format = req.format() == null ? "" : req.format().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("ova") && !format.equals("vhdx")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "export format must be ova or vhdx (got '" + req.format() + "')");
        }
        requireStopped(name);
        Path out = Path.of(req.out());
        return jobs.submit("export", name, t -> vms.locks().with(name, () -> {
            requireStopped(name);
            t.willWrite(format.equals("ova")
                    ? List.of(out + ".partial", out.resolveSibling("." + out.getFileName() + ".ferry-*").toString())
                    : spec.disks().stream().map(d -> out.resolve(name + "-" + d.id() + ".vhdx").toString()).toList());
            Exporter e = new Exporter(qemuImg);
            ExportResult r = format.equals("ova") ? e.toOva(spec, out, t::update) : e.toVhdx(spec, out, t::update);
            return r;
        }));
    }

    private VmInfo define(VmSpec spec) {
        try {
            return vms.define(spec);
        } catch (RuntimeException e) {
            for (DiskSpec d : spec.disks()) {
                try {
                    Files.deleteIfExists(Path.of(d.path()));
                } catch (IOException ignored) {
                    // reported through the original error
                }
            }
            throw e;
        }
    }

    private void requireStopped(String name) {
        if (vms.show(name).state() != VmState.SHUTOFF) {
            throw new FerryException(ErrorCode.VM_RUNNING, "VM '" + name + "' is running; stop it before exporting (its disks must not change)");
        }
    }

    private static Path source(ImportRequest req) {
        if (req == null || req.sourcePath() == null || !req.sourcePath().startsWith("/")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "sourcePath must be an absolute path the agent can read");
        }
        Path p = Path.of(req.sourcePath());
        if (!Files.isReadable(p)) throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "import source " + p + " does not exist or is not readable here");
        return p;
    }

    private Path pool(String name) {
        if (config.pools().isEmpty()) throw new FerryException(ErrorCode.INVALID_STATE, "host " + config.name() + " has no storage pool");
        AgentConfig.Pool p = name == null ? config.pools().get(0)
                : config.pools().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                        new FerryException(ErrorCode.NOT_FOUND, "host " + config.name() + " has no pool '" + name + "'"));
        return Path.of(p.path());
    }

    private FerryException exists(String name) {
        return new FerryException(ErrorCode.VM_EXISTS, "VM '" + name + "' is already defined on " + config.name() + "; import it under another --name");
    }

    /** Routes: {@code POST /v1/imports}, {@code POST /v1/vms/NAME/export}, {@code GET /v1/jobs[/ID]}. */
    public void register(io.javalin.config.JavalinConfig c) {
        var r = c.routes;
        r.post("/v1/imports", ctx -> {
            ImportRequest req = body(ctx.body(), ImportRequest.class);
            if (req.isDryRun()) ctx.json(plan(req));
            else ctx.status(202).json(startImport(req));
        });
        r.post("/v1/vms/{name}/export", ctx -> ctx.status(202).json(startExport(ctx.pathParam("name"), body(ctx.body(), ExportRequest.class))));
        r.get("/v1/jobs", ctx -> ctx.json(jobs.all()));
        r.get("/v1/jobs/{id}", ctx -> ctx.json(jobs.get(ctx.pathParam("id"))));
    }

    static <T> T body(String text, Class<T> type) {
        try {
            return dev.ferry.api.json.Json.mapper().readValue(text, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    Map<String, Object> describe() { return Map.of("jobs", jobs.all().size()); }

    @Override
    public void close() { jobs.close(); }
}

package dev.ferry.agent;

import dev.ferry.agent.host.AgentMaintenance;
import dev.ferry.agent.host.HostInventory;
import dev.ferry.agent.migration.MigrationModes;
import dev.ferry.agent.migration.MigrationService;
import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.migration.ResumeRequest;
import dev.ferry.api.migration.RetireRequest;
import dev.ferry.api.spec.SpecReader;
import dev.ferry.api.vm.StopRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/**
 * The agent's HTTP routes, versioned under {@code /v1}. Thin by design: each route parses its input,
 * calls one {@link VmManager} (or, for migration, {@link MigrationService}) operation and returns its
 * result; validation and state rules live there, error mapping in {@link dev.ferry.web.MtlsServer}.
 * While the host is in maintenance ({@link AgentMaintenance}) defining and starting VMs and
 * preparing incoming migrations are refused.
 */
final class AgentApi {
    private final VmManager vms;
    private final HostInventory inventory;
    private final MigrationService migrations;
    private final AgentMaintenance maintenance;

    AgentApi(VmManager vms, HostInventory inventory, MigrationService migrations, AgentMaintenance maintenance) {
        this.maintenance = maintenance;
        this.vms = vms;
        this.inventory = inventory;
        this.migrations = migrations;
    }

    void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/host", ctx -> ctx.json(inventory.collect()));
        r.get("/v1/vms", ctx -> ctx.json(vms.list()));
        r.post("/v1/vms", ctx -> {
            maintenance.requireOff("defining a new VM");
            ctx.status(201).json(vms.define(SpecReader.parse(ctx.body(), "request body")));
        });
        r.get("/v1/vms/{name}", ctx -> ctx.json(vms.show(ctx.pathParam("name"))));
        r.delete("/v1/vms/{name}", ctx -> {
            vms.undefine(ctx.pathParam("name"));
            ctx.json(Map.of("deleted", ctx.pathParam("name")));
        });
        r.post("/v1/vms/{name}/start", ctx -> {
            maintenance.requireOff("starting VM '" + ctx.pathParam("name") + "'");
            ctx.json(vms.start(ctx.pathParam("name")));
        });
        r.post("/v1/vms/{name}/stop", ctx -> ctx.json(vms.stop(ctx.pathParam("name"), body(ctx, StopRequest.class, new StopRequest(null, null)))));
        r.post("/v1/vms/{name}/kill", ctx -> ctx.json(vms.kill(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/pause", ctx -> ctx.json(vms.pause(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/resume", ctx -> ctx.json(vms.resume(ctx.pathParam("name"))));
        registerMigration(config);
    }

    private void registerMigration(JavalinConfig config) {
        var r = config.routes;
        r.post("/v1/migrations/incoming", ctx -> {
            maintenance.requireOff("an incoming migration");
            ctx.json(migrations.prepareIncoming(body(ctx, IncomingRequest.class, null)));
        });
        r.post("/v1/vms/{name}/migrate", ctx -> ctx.status(202)
                .json(migrations.migrate(ctx.pathParam("name"), body(ctx, OutgoingRequest.class, null))));
        r.get("/v1/vms/{name}/migration", ctx -> ctx.json(migrations.stats(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/migration/cancel", ctx -> ctx.json(migrations.cancel(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/discard", ctx -> {
            migrations.discard(ctx.pathParam("name"), "true".equals(ctx.queryParam("force")));
            ctx.json(Map.of("discarded", ctx.pathParam("name")));
        });
        r.post("/v1/vms/{name}/finish-source", ctx -> {
            migrations.finishSource(ctx.pathParam("name"));
            ctx.json(Map.of("finished", ctx.pathParam("name")));
        });
        r.post("/v1/vms/{name}/recover-source", ctx -> ctx.json(migrations.recoverSource(ctx.pathParam("name"))));
        r.get("/v1/vms/{name}/guest-health", ctx -> ctx.json(migrations.guestHealth(ctx.pathParam("name"))));
        registerModes(config);
    }

    /** Routes of the migration modes: planner measurements, steering, post-copy recovery, cold migration clean-up. */
    private void registerModes(JavalinConfig config) {
        var r = config.routes;
        MigrationModes m = migrations.modes();
        r.post("/v1/vms/{name}/dirty-rate", ctx -> ctx.json(m.dirtyRate(ctx.pathParam("name"),
                ctx.queryParamAsClass("calcTimeMs", Long.class).getOrDefault(1000L))));
        r.post("/v1/vms/{name}/migration/tune", ctx -> ctx.json(m.tune(ctx.pathParam("name"), body(ctx, MigrationTuning.class, null))));
        r.post("/v1/vms/{name}/migration/postcopy", ctx -> ctx.json(m.startPostcopy(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/migration/pause", ctx -> ctx.json(m.pause(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/migration/recover", ctx -> ctx.json(m.recover(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/migration/resume", ctx -> ctx.json(m.resume(ctx.pathParam("name"), body(ctx, ResumeRequest.class, null))));
        r.post("/v1/link-probe", ctx -> ctx.json(m.openLinkProbe()));
        r.post("/v1/link-probe/send", ctx -> ctx.json(m.sendLinkProbe(body(ctx, LinkProbe.Send.class, null))));
        r.post("/v1/images/discard", ctx -> ctx.json(new DiscardImagesRequest.Result(
                m.discardImages(body(ctx, DiscardImagesRequest.class, new DiscardImagesRequest(null, null))))));
        r.post("/v1/vms/{name}/retire", ctx -> ctx.json(Map.of("deleted", m.retire(ctx.pathParam("name"),
                body(ctx, RetireRequest.class, new RetireRequest(null, false))))));
    }

    static <T> T body(Context ctx, Class<T> type, T whenEmpty) {
        String text = ctx.body();
        if (text.isBlank()) return whenEmpty;
        try {
            return Json.mapper().readValue(text, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}

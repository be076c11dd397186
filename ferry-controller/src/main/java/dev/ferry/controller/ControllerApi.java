package dev.ferry.controller;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.migration.MigrationEngine;
import dev.ferry.controller.store.HostRecord;
import dev.ferry.controller.store.HostStore;
import dev.ferry.controller.store.VmStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Map;

/**
 * The controller's REST API under {@code /v1}, plus {@code /metrics} for Prometheus. Routes are
 * thin: they parse input and call the registry or the migration engine. Progress of a migration is
 * streamed as server-sent events ({@code progress} while it runs, one {@code done} at the end).
 */
final class ControllerApi {
    private static final long WATCH_INTERVAL_MS = 500;

    private final HostStore hosts;
    private final VmStore vms;
    private final HostRegistry registry;
    private final MigrationEngine engine;
    private final PrometheusMeterRegistry metrics;

    ControllerApi(HostStore hosts, VmStore vms, HostRegistry registry, MigrationEngine engine, PrometheusMeterRegistry metrics) {
        this.hosts = hosts;
        this.vms = vms;
        this.registry = registry;
        this.engine = engine;
        this.metrics = metrics;
    }

    record HostView(String name, String url, String status, String migrationAddress, String fingerprint,
                    String accelerator, String qemuVersion, java.time.Instant lastSeenAt, Object inventory) {}

    record RegisterHost(String name, String url) {}

    void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/hosts", ctx -> ctx.json(hosts.all().stream().map(h -> view(h, false)).toList()));
        r.get("/v1/hosts/{name}", ctx -> ctx.json(view(host(ctx.pathParam("name")), true)));
        r.post("/v1/hosts", ctx -> {
            RegisterHost req = body(ctx, RegisterHost.class);
            if (req.name() == null || req.url() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "name and url are required");
            ctx.status(201).json(view(registry.register(req.name(), req.url()), true));
        });
        r.get("/v1/vms", ctx -> ctx.json(vms.all().stream()
                .map(v -> Map.of("name", v.name(), "host", v.host(), "state", v.state())).toList()));
        r.post("/v1/migrations", ctx -> ctx.status(202).json(engine.start(body(ctx, MigrationRequest.class))));
        r.get("/v1/migrations", ctx -> ctx.json(engine.list(ctx.queryParamAsClass("limit", Integer.class).getOrDefault(50))));
        r.get("/v1/migrations/{id}", ctx -> ctx.json(engine.view(ctx.pathParam("id"))));
        r.post("/v1/migrations/{id}/abort", ctx -> ctx.json(engine.abort(ctx.pathParam("id"))));
        r.sse("/v1/migrations/{id}/watch", this::watch);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    }

    private void watch(SseClient client) {
        String id = client.ctx().pathParam("id");
        MigrationView v = engine.view(id);
        while (!client.terminated()) {
            client.sendEvent(v.isFinished() ? "done" : "progress", json(v));
            if (v.isFinished()) return;
            try {
                Thread.sleep(WATCH_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            v = engine.view(id);
        }
    }

    private HostRecord host(String name) {
        return hosts.find(name).orElseThrow(() -> new FerryException(ErrorCode.HOST_NOT_FOUND, "no host named '" + name + "'"));
    }

    private HostView view(HostRecord h, boolean withInventory) {
        return new HostView(h.name(), h.apiUrl(), h.status(), h.migrationAddress(), h.fingerprint(), h.accelerator(),
                h.qemuVersion(), h.lastSeenAt(), withInventory && h.infoJson() != null ? registry.info(h) : null);
    }

    private static <T> T body(Context ctx, Class<T> type) {
        try {
            return Json.mapper().readValue(ctx.body(), type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot serialize progress");
        }
    }

}

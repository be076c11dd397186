package dev.ferry.agent.storage;

import dev.ferry.agent.migration.StorageMigration;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DeleteImagesRequest;
import dev.ferry.api.storage.MirrorRequest;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.NbdExportRequest;
import dev.ferry.api.storage.TargetDisksRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/**
 * The agent's storage routes under {@code /v1}: disks, moves, clones and templates
 * ({@link StorageService}), and the disk-copy steps of a live migration ({@link StorageMigration}).
 * Thin like the other routes: parse, call one operation, answer its result.
 */
public final class StorageApi {
    private final StorageService storage;
    private final StorageMigration migration;

    public StorageApi(StorageService storage, StorageMigration migration) {
        this.storage = storage;
        this.migration = migration;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/vms/{name}/disks", ctx -> ctx.json(storage.disks(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/disks/{disk}/move", ctx -> ctx.json(storage.move(ctx.pathParam("name"), ctx.pathParam("disk"),
                body(ctx, MoveDiskRequest.class))));
        r.post("/v1/vms/{name}/clone", ctx -> ctx.status(201).json(storage.clone(ctx.pathParam("name"), body(ctx, CloneRequest.class))));
        r.post("/v1/vms/{name}/template", ctx -> ctx.json(storage.markTemplate(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/deploy", ctx -> ctx.status(201).json(storage.deploy(ctx.pathParam("name"), body(ctx, CloneRequest.class))));
        r.post("/v1/storage/targets", ctx -> ctx.json(storage.createTargets(body(ctx, TargetDisksRequest.class))));
        r.post("/v1/storage/delete", ctx -> ctx.json(Map.of("deleted", storage.delete(body(ctx, DeleteImagesRequest.class)))));
        r.post("/v1/vms/{name}/nbd-export", ctx -> ctx.json(migration.startExport(ctx.pathParam("name"), body(ctx, NbdExportRequest.class))));
        r.post("/v1/vms/{name}/nbd-export/stop", ctx -> {
            migration.stopExport(ctx.pathParam("name"));
            ctx.json(Map.of("stopped", ctx.pathParam("name")));
        });
        r.post("/v1/vms/{name}/mirror", ctx -> ctx.status(202).json(migration.startMirror(ctx.pathParam("name"), body(ctx, MirrorRequest.class))));
        r.get("/v1/vms/{name}/mirror", ctx -> ctx.json(migration.mirrorStatus(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/mirror/finish", ctx -> ctx.json(migration.finishMirror(ctx.pathParam("name"))));
        r.post("/v1/vms/{name}/mirror/cancel", ctx -> ctx.json(migration.cancelMirror(ctx.pathParam("name"))));
    }

    private static <T> T body(Context ctx, Class<T> type) {
        String text = ctx.body();
        if (text.isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "the request needs a " + type.getSimpleName() + " body");
        try {
            return Json.mapper().readValue(text, type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "request body is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}

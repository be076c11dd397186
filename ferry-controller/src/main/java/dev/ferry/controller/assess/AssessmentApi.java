package dev.ferry.controller.assess;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.controller.host.LinkProbeService;
import dev.ferry.controller.host.Maintenance;
import dev.ferry.web.JsonBody;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * The controller routes of fleet operations, registered by this class:
 * <ul>
 *   <li>{@code GET /v1/vms/{vm}/assess?to=HOST[&mode=live|warm|cold][&reprove=true]}: the {@link Assessor}'s answer;</li>
 *   <li>{@code GET /v1/vms/{vm}/recommend}: destinations ranked, best first;</li>
 *   <li>{@code GET|POST /v1/hosts/{name}/maintenance} (body {@code {"enabled": true, "reason": "..."}});
 *       {@code GET /v1/maintenance}: every host in maintenance;</li>
 *   <li>{@code POST /v1/hosts/{from}/probe?to=HOST}: measure the link; {@code GET /v1/hosts/{name}/links}:
 *       the newest measurement of every pair with that host.</li>
 * </ul>
 */
public final class AssessmentApi {
    /** The body of a maintenance switch. */
    public record MaintenanceRequest(Boolean enabled, String reason) {}

    private final Assessor assessor;
    private final Maintenance maintenance;
    private final LinkProbeService links;

    public AssessmentApi(Assessor assessor, Maintenance maintenance, LinkProbeService links) {
        this.assessor = assessor;
        this.maintenance = maintenance;
        this.links = links;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/vms/{vm}/assess", ctx -> {
            String to = ctx.queryParam("to");
            if (to == null || to.isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "to (the destination host) is required");
            String mode = ctx.queryParam("mode");
            if (mode != null && !List.of(MigrationRequest.LIVE, MigrationRequest.WARM, MigrationRequest.COLD).contains(mode)) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "mode must be live, warm or cold (got '" + mode + "')");
            }
            ctx.json(assessor.assess(ctx.pathParam("vm"), to, CapacityLedger.empty(), mode, "true".equals(ctx.queryParam("reprove"))));
        });
        r.get("/v1/vms/{vm}/recommend", ctx -> ctx.json(assessor.recommend(ctx.pathParam("vm"), CapacityLedger.empty())));
        r.get("/v1/maintenance", ctx -> ctx.json(maintenance.all()));
        r.get("/v1/hosts/{name}/maintenance", ctx -> ctx.json(maintenance.state(ctx.pathParam("name"))));
        r.post("/v1/hosts/{name}/maintenance", ctx -> {
            MaintenanceRequest req = JsonBody.readOrNull(ctx, MaintenanceRequest.class);
            if (req == null || req.enabled() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "enabled (true or false) is required");
            ctx.json(maintenance.set(ctx.pathParam("name"), req.enabled(), req.reason()));
        });
        r.post("/v1/hosts/{name}/probe", ctx -> {
            String to = ctx.queryParam("to");
            if (to == null || to.isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "to (the other host) is required");
            ctx.json(links.probe(ctx.pathParam("name"), to));
        });
        r.get("/v1/hosts/{name}/links", ctx -> ctx.json(links.latestOf(ctx.pathParam("name"))));
    }
}

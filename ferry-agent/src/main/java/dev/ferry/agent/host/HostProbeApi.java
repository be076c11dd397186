package dev.ferry.agent.host;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.LatencyProbe;
import dev.ferry.web.JsonBody;
import io.javalin.config.JavalinConfig;
import java.util.Map;

/**
 * The agent routes the controller's assessment asks of a host: pool marker files
 * ({@link PoolMarkers}), the latency probe ({@link LatencyProber}) and the maintenance flag
 * ({@link AgentMaintenance}). Thin: parse, call, answer.
 */
public final class HostProbeApi {
    private final PoolMarkers markers;
    private final LatencyProber latency;
    private final AgentMaintenance maintenance;

    /** The body of {@code POST /v1/maintenance}. */
    public record MaintenanceRequest(Boolean enabled) {}

    public HostProbeApi(PoolMarkers markers, LatencyProber latency, AgentMaintenance maintenance) {
        this.maintenance = maintenance;
        this.markers = markers;
        this.latency = latency;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.post("/v1/pools/{pool}/markers", ctx -> ctx.json(markers.write(ctx.pathParam("pool"))));
        r.get("/v1/pools/{pool}/markers/{file}", ctx -> ctx.json(markers.read(ctx.pathParam("pool"), ctx.pathParam("file"))));
        r.delete("/v1/pools/{pool}/markers/{file}", ctx -> {
            markers.remove(ctx.pathParam("pool"), ctx.pathParam("file"));
            ctx.json(Map.of("removed", ctx.pathParam("file")));
        });
        r.post("/v1/latency-probe", ctx -> ctx.json(latency.listen()));
        r.get("/v1/maintenance", ctx -> ctx.json(Map.of("enabled", maintenance.isOn())));
        r.post("/v1/maintenance", ctx -> {
            MaintenanceRequest req = JsonBody.readOrNull(ctx, MaintenanceRequest.class);
            if (req == null || req.enabled() == null) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "enabled (true or false) is required");
            maintenance.set(req.enabled());
            ctx.json(Map.of("enabled", maintenance.isOn()));
        });
        r.post("/v1/latency-probe/measure", ctx -> ctx.json(latency.measure(JsonBody.readOrNull(ctx, LatencyProbe.Measure.class))));
    }
}

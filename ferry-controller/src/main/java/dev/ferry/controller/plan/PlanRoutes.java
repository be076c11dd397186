package dev.ferry.controller.plan;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.plan.PlanView;
import dev.ferry.controller.plan.report.PlanReport;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * The plan API under {@code /v1/plans} and the evacuation of a host, registered by the plan feature
 * itself. Plan documents are posted as their YAML (or JSON) text.
 */
public final class PlanRoutes {
    private final PlanService plans;
    private final Evacuation evacuation;

    public PlanRoutes(PlanService plans, Evacuation evacuation) {
        this.plans = plans;
        this.evacuation = evacuation;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.post("/v1/plans", ctx -> ctx.status(201).json(plans.create(document(ctx))));
        r.post("/v1/plans/validate", ctx -> ctx.json(plans.validate(document(ctx))));
        r.get("/v1/plans", ctx -> ctx.json(plans.list()));
        r.get("/v1/plans/{id}", ctx -> ctx.json(plans.view(ctx.pathParam("id"))));
        r.post("/v1/plans/{id}/run", ctx -> ctx.json(plans.run(ctx.pathParam("id"))));
        r.post("/v1/plans/{id}/pause", ctx -> ctx.json(plans.pause(ctx.pathParam("id"))));
        r.post("/v1/plans/{id}/resume", ctx -> ctx.json(plans.resume(ctx.pathParam("id"))));
        r.post("/v1/plans/{id}/abort", ctx -> ctx.json(plans.abort(ctx.pathParam("id"))));
        r.get("/v1/plans/{id}/report", this::report);
        r.get("/v1/plans/{id}/chart.png", ctx -> ctx.contentType("image/png").result(PlanReport.of(view(ctx)).chartPng()));
        r.post("/v1/hosts/{name}/evacuate", ctx -> ctx.json(evacuation.evacuate(ctx.pathParam("name"),
                ctx.queryParamAsClass("dryRun", Boolean.class).getOrDefault(false), ctx.queryParam("mode"))));
    }

    private void report(Context ctx) {
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("markdown");
        PlanReport report = PlanReport.of(view(ctx));
        switch (format) {
            case "markdown", "md" -> ctx.contentType("text/markdown; charset=utf-8").result(report.markdown());
            case "html" -> ctx.contentType("text/html; charset=utf-8").result(report.html());
            default -> throw new FerryException(ErrorCode.INVALID_ARGUMENT, "format must be markdown or html, not '" + format + "'");
        }
    }

    private PlanView view(Context ctx) { return plans.view(ctx.pathParam("id")); }

    private static String document(Context ctx) {
        String body = ctx.body();
        if (body == null || body.isBlank()) throw new FerryException(ErrorCode.INVALID_PLAN, "invalid plan: the request body holds no plan document");
        return body;
    }
}

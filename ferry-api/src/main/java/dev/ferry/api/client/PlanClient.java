package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.plan.PlanView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Typed client of the controller's plan API ({@code /v1/plans}) and host evacuation, on the
 * connection of a {@link ControllerClient}. A plan document is sent as its parsed tree (YAML read
 * here, sent as JSON, which the controller reads as YAML), so field errors name the same paths.
 */
public final class PlanClient {
    private final JsonHttp http;

    public PlanClient(ControllerClient controller) { this.http = controller.http(); }

    /** Creates and validates a plan (201); refused with ASSESSMENT_BLOCKED listing every VM's blockers. */
    public PlanView create(JsonNode document) { return http.post("/v1/plans", document, PlanView.class); }

    /** Validates without storing: state "valid" or "refused", with the findings. */
    public PlanView validate(JsonNode document) { return http.post("/v1/plans/validate", document, PlanView.class); }

    public List<PlanView> list() { return http.get("/v1/plans", new TypeReference<List<PlanView>>() {}); }

    public PlanView show(String id) { return http.get("/v1/plans/" + id, PlanView.class); }

    public PlanView run(String id) { return http.post("/v1/plans/" + id + "/run", null, PlanView.class); }

    public PlanView pause(String id) { return http.post("/v1/plans/" + id + "/pause", null, PlanView.class); }

    public PlanView resume(String id) { return http.post("/v1/plans/" + id + "/resume", null, PlanView.class); }

    public PlanView abort(String id) { return http.post("/v1/plans/" + id + "/abort", null, PlanView.class); }

    /** The plan's report as markdown or html. */
    public String report(String id, String format) {
        return http.get("/v1/plans/" + id + "/report?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8), String.class);
    }

    public byte[] chart(String id) { return http.get("/v1/plans/" + id + "/chart.png", byte[].class); }

    /** Evacuates a host (or only plans it, {@code dryRun}); {@code mode} null for live. */
    public PlanView evacuate(String host, boolean dryRun, String mode) {
        String q = "?dryRun=" + dryRun + (mode == null ? "" : "&mode=" + URLEncoder.encode(mode, StandardCharsets.UTF_8));
        return http.post("/v1/hosts/" + host + "/evacuate" + q, null, PlanView.class);
    }
}

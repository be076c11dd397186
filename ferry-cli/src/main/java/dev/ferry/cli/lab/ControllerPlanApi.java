package dev.ferry.cli.lab;

import dev.ferry.api.client.JsonHttp;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.plan.PlanView;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** {@link PlanApi} over the controller's REST API (mutual TLS, the demo client's identity). */
public final class ControllerPlanApi implements PlanApi {
    private final JsonHttp http;

    public ControllerPlanApi(SSLContext ssl, URI controller) {
        this.http = new JsonHttp(ssl, controller, "controller " + controller.getAuthority(), ErrorCode.SERVER_UNREACHABLE,
                Duration.ofSeconds(120));
    }

    @Override
    public PlanView evacuate(String host, boolean dryRun) {
        return http.post("/v1/hosts/" + host + "/evacuate?dryRun=" + dryRun, null, PlanView.class);
    }

    @Override
    public PlanView plan(String id) { return http.get("/v1/plans/" + id, PlanView.class); }
}

package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.host.LinkMeasurement;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet-operations half of the controller's API: assessments, recommendations, maintenance
 * mode and link probes. Built on a {@link ControllerClient}'s connection
 * ({@code FleetClient.of(controller)}), so the controller client does not grow with every feature.
 */
public final class FleetClient {
    private static final Duration PROBE = Duration.ofSeconds(120);

    private final JsonHttp http;

    private FleetClient(JsonHttp http) { this.http = http; }

    public static FleetClient of(ControllerClient controller) { return new FleetClient(controller.http); }

    /** Every finding of moving {@code vm} to {@code to}; {@code mode} null for the VM's state, {@code reprove} to prove shared pools again. */
    public Assessment assess(String vm, String to, String mode, boolean reprove) {
        String q = "?to=" + enc(to) + (mode == null ? "" : "&mode=" + enc(mode)) + (reprove ? "&reprove=true" : "");
        return http.get("/v1/vms/" + enc(vm) + "/assess" + q, Assessment.class);
    }

    public List<Recommendation> recommend(String vm) {
        return http.get("/v1/vms/" + enc(vm) + "/recommend", new TypeReference<List<Recommendation>>() {});
    }

    public JsonNode maintenance(String host, boolean on, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("enabled", on);
        body.put("reason", reason);
        return http.post("/v1/hosts/" + enc(host) + "/maintenance", body, JsonNode.class);
    }

    public JsonNode maintenance(String host) { return http.get("/v1/hosts/" + enc(host) + "/maintenance", JsonNode.class); }

    public LinkMeasurement probe(String from, String to) {
        return http.post("/v1/hosts/" + enc(from) + "/probe?to=" + enc(to), null, PROBE, LinkMeasurement.class);
    }

    public List<LinkMeasurement> links(String host) {
        return http.get("/v1/hosts/" + enc(host) + "/links", new TypeReference<List<LinkMeasurement>>() {});
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}

package dev.ferry.api.client;

import dev.ferry.api.host.LatencyProbe;
import dev.ferry.api.host.PoolMarker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The host-probing half of one agent's API, used by the controller's assessment: pool marker
 * files (to prove that a pool declared shared is the same storage on two hosts), the TCP echo and
 * latency measurement of the migration network, and the agent-side maintenance flag. Built on an
 * {@link AgentClient}'s connection ({@code HostProbeClient.of(agent)}).
 */
public final class HostProbeClient {
    private final JsonHttp http;

    private HostProbeClient(JsonHttp http) { this.http = http; }

    public static HostProbeClient of(AgentClient agent) { return new HostProbeClient(agent.http); }

    /** Writes a marker file with a random token into {@code pool}; answers its file name and token. */
    public PoolMarker writeMarker(String pool) { return http.post(pool(pool) + "/markers", null, PoolMarker.class); }

    /** Reads marker {@code file} from this host's pool {@code pool}; {@code found} is false when it is not there. */
    public PoolMarker readMarker(String pool, String file) { return http.get(pool(pool) + "/markers/" + enc(file), PoolMarker.class); }

    /** Removes marker {@code file} from {@code pool}; fine if it is gone. */
    public void removeMarker(String pool, String file) { http.delete(pool(pool) + "/markers/" + enc(file), Void.class); }

    /** Destination: open a one-connection echo listener on the migration address. */
    public LatencyProbe.Target openEcho() { return http.post("/v1/latency-probe", null, LatencyProbe.Target.class); }

    /** Source: measure RTT and loss to {@code req.host()}. */
    public LatencyProbe.Result measureLatency(LatencyProbe.Measure req) {
        return http.post("/v1/latency-probe/measure", req, Duration.ofSeconds(120), LatencyProbe.Result.class);
    }

    /** Sets the agent-side maintenance flag (the agent then refuses new VMs and incoming migrations). */
    public void maintenance(boolean on) { http.post("/v1/maintenance", Map.of("enabled", on), Void.class); }

    private static String pool(String name) { return "/v1/pools/" + enc(name); }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}

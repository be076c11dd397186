package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.api.safety.PerfSample;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The agent calls the post-migration checks make: a work sample of a running VM and where its NICs
 * really are. Built on an {@link AgentClient}'s connection ({@code SafetyProbeClient.of(agent)}).
 */
public final class SafetyProbeClient {
    private final JsonHttp http;

    private SafetyProbeClient(JsonHttp http) { this.http = http; }

    public static SafetyProbeClient of(AgentClient agent) { return new SafetyProbeClient(agent.http); }

    public PerfSample perfSample(String vm) { return http.get(vm(vm) + "/perf-sample", PerfSample.class); }

    public List<NicBinding> nics(String vm) { return http.get(vm(vm) + "/nics", new TypeReference<List<NicBinding>>() {}); }

    private static String vm(String name) { return "/v1/vms/" + URLEncoder.encode(name, StandardCharsets.UTF_8); }
}

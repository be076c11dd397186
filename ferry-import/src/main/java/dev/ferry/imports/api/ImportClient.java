package dev.ferry.imports.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.client.JsonHttp;
import dev.ferry.api.error.ErrorCode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Client of an agent's import/export routes, used by the controller's job engine and the CLI. It
 * lives beside the request types (not in ferry-api's AgentClient) so ferry-api does not depend on
 * the import module.
 */
public final class ImportClient {
    private final JsonHttp http;

    public ImportClient(SSLContext ssl, URI agent) {
        this.http = new JsonHttp(ssl, agent, "agent " + agent.getAuthority(), ErrorCode.AGENT_UNREACHABLE, Duration.ofSeconds(30));
    }

    /** Starts an import job (HTTP 202). */
    public JobView startImport(ImportRequest req) { return http.post("/v1/imports", req, JobView.class); }

    /** A dry run: the spec and report the import would produce; may take as long as unpacking an OVA. */
    public JsonNode plan(ImportRequest req) {
        ImportRequest dry = new ImportRequest(req.sourcePath(), req.pool(), req.options(), req.start(), true, null);
        return http.post("/v1/imports", dry, Duration.ofMinutes(30), JsonNode.class);
    }

    public JobView startExport(String vm, ExportRequest req) {
        return http.post("/v1/vms/" + URLEncoder.encode(vm, StandardCharsets.UTF_8) + "/export", req, JobView.class);
    }

    /** Every job the agent keeps, newest first (those of an earlier agent on the same state dir too). */
    public java.util.List<JobView> jobs() {
        return http.get("/v1/jobs", new com.fasterxml.jackson.core.type.TypeReference<java.util.List<JobView>>() {});
    }

    public JobView job(String id) { return http.get("/v1/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8), JobView.class); }
}

package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/** Typed client of the controller's API, used by the CLI and the demo. */
public final class ControllerClient {
    final JsonHttp http; // package-private: FleetClient shares the connection

    public ControllerClient(SSLContext ssl, URI base) {
        this.http = new JsonHttp(ssl, base, "controller " + base.getAuthority(), ErrorCode.SERVER_UNREACHABLE, Duration.ofSeconds(60));
    }

    /** The connection, for the feature clients built on it ({@link PlanClient}, {@link SafetyClient}). */
    JsonHttp http() { return http; }

    public List<JsonNode> hosts() { return http.get("/v1/hosts", new TypeReference<List<JsonNode>>() {}); }

    public JsonNode host(String name) { return http.get("/v1/hosts/" + name, JsonNode.class); }

    public JsonNode registerHost(String name, String url) {
        return http.post("/v1/hosts", Map.of("name", name, "url", url), JsonNode.class);
    }

    public List<JsonNode> vms() { return http.get("/v1/vms", new TypeReference<List<JsonNode>>() {}); }

    public MigrationView startMigration(MigrationRequest req) { return http.post("/v1/migrations", req, MigrationView.class); }

    public List<MigrationView> migrations() { return http.get("/v1/migrations", new TypeReference<List<MigrationView>>() {}); }

    public MigrationView migration(String id) { return http.get("/v1/migrations/" + id, MigrationView.class); }

    public MigrationView abort(String id) { return http.post("/v1/migrations/" + id + "/abort", null, MigrationView.class); }

    /** Server-sent event lines of a migration's progress; ends when the migration does. */
    public Stream<String> watch(String id) { return http.lines("/v1/migrations/" + id + "/watch"); }

    public String metrics() { return http.get("/metrics", String.class); }

}

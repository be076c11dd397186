package dev.ferry.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.migration.DirtyRate;
import dev.ferry.api.migration.DiscardImagesRequest;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.IncomingRequest;
import dev.ferry.api.migration.IncomingResponse;
import dev.ferry.api.migration.LinkProbe;
import dev.ferry.api.migration.MigrationTuning;
import dev.ferry.api.migration.MigrationStats;
import dev.ferry.api.migration.OutgoingRequest;
import dev.ferry.api.migration.ResumeRequest;
import dev.ferry.api.migration.RetireRequest;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Typed client of one host agent's API, used by the CLI and by the controller. Every method is one
 * HTTP call; errors arrive as the agent's own {@link dev.ferry.api.error.FerryException}.
 */
public class AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_SLACK = Duration.ofSeconds(30);

    protected final JsonHttp http;

    public AgentClient(SSLContext ssl, URI base) {
        this.http = new JsonHttp(ssl, base, "agent " + base.getAuthority(), ErrorCode.AGENT_UNREACHABLE, TIMEOUT);
    }

    public URI base() { return http.base(); }

    public HostInfo host() { return http.get("/v1/host", HostInfo.class); }

    public List<VmInfo> list() { return http.get("/v1/vms", new TypeReference<List<VmInfo>>() {}); }

    public VmInfo show(String name) { return http.get(vm(name), VmInfo.class); }

    public VmInfo define(VmSpec spec) { return http.post("/v1/vms", spec, VmInfo.class); }

    public void delete(String name) { http.delete(vm(name), Void.class); }

    public VmInfo start(String name) { return http.post(vm(name) + "/start", null, Duration.ofSeconds(90), VmInfo.class); }

    public VmInfo stop(String name, StopRequest req) {
        return http.post(vm(name) + "/stop", req, Duration.ofSeconds(req.timeoutOrDefault()).plus(STOP_SLACK), VmInfo.class);
    }

    public VmInfo kill(String name) { return http.post(vm(name) + "/kill", null, VmInfo.class); }

    public VmInfo pause(String name) { return http.post(vm(name) + "/pause", null, VmInfo.class); }

    public VmInfo resume(String name) { return http.post(vm(name) + "/resume", null, VmInfo.class); }

    /** Destination: define the VM if needed, start QEMU waiting for the stream, and say where to send it. */
    public IncomingResponse prepareIncoming(IncomingRequest req) {
        return http.post("/v1/migrations/incoming", req, Duration.ofSeconds(90), IncomingResponse.class);
    }

    /** Source: start sending the VM (HTTP 202); follow progress with {@link #migrationStats}. */
    public MigrationStats migrate(String name, OutgoingRequest req) {
        return http.post(vm(name) + "/migrate", req, MigrationStats.class);
    }

    /** QEMU's migration progress for the VM, on the source or the destination. */
    public MigrationStats migrationStats(String name) { return http.get(vm(name) + "/migration", MigrationStats.class); }

    /** Source: cancel the running migration (the guest keeps running there); fine if none runs. */
    public MigrationStats cancelMigration(String name) {
        return http.post(vm(name) + "/migration/cancel", null, MigrationStats.class);
    }

    /** Kill the VM's QEMU and undefine it, disks untouched; {@code force} is needed if its guest may be live. */
    public void discard(String name, boolean force) {
        http.post(vm(name) + "/discard" + (force ? "?force=true" : ""), null, Duration.ofSeconds(60), Void.class);
    }

    /** Source, after a completed migration: quit the handed-over QEMU and undefine the VM. */
    public void finishSource(String name) {
        http.post(vm(name) + "/finish-source", null, Duration.ofSeconds(60), Void.class);
    }

    /** Source, after a completed migration whose destination died: resume the guest here. */
    public VmInfo recoverSource(String name) { return http.post(vm(name) + "/recover-source", null, VmInfo.class); }

    /** What the guest's console says about its health, read by the agent that runs it. */
    public GuestHealth guestHealth(String name) { return http.get(vm(name) + "/guest-health", GuestHealth.class); }

    /** How fast the running guest dirties memory, measured over {@code calcTimeMs} (QEMU page sampling). */
    public DirtyRate dirtyRate(String name, long calcTimeMs) {
        return http.post(vm(name) + "/dirty-rate?calcTimeMs=" + calcTimeMs, null, Duration.ofMillis(calcTimeMs).plusSeconds(30),
                DirtyRate.class);
    }

    /** Source: change a running migration's parameters (downtime limit, bandwidth, throttle, XBZRLE cache). */
    public MigrationStats tuneMigration(String name, MigrationTuning tuning) {
        return http.post(vm(name) + "/migration/tune", tuning, MigrationStats.class);
    }

    /** Source: switch the running pre-copy migration to post-copy (needs the postcopy-ram capability on both ends). */
    public MigrationStats startPostcopy(String name) {
        return http.post(vm(name) + "/migration/postcopy", null, MigrationStats.class);
    }

    /** Source: pause a post-copy migration whose stream is stuck, so that it can be recovered. */
    public MigrationStats pauseMigration(String name) {
        return http.post(vm(name) + "/migration/pause", null, MigrationStats.class);
    }

    /** Destination: listen anew for a paused post-copy migration ({@code migrate-recover}); says where. */
    public IncomingResponse recoverIncoming(String name) {
        return http.post(vm(name) + "/migration/recover", null, IncomingResponse.class);
    }

    /** Source: reconnect a paused post-copy migration to the destination's recovery address. */
    public MigrationStats resumeMigration(String name, ResumeRequest req) {
        return http.post(vm(name) + "/migration/resume", req, MigrationStats.class);
    }

    /** Destination: listen once on the migration address for a link probe. */
    public LinkProbe.Target openLinkProbe() { return http.post("/v1/link-probe", null, LinkProbe.Target.class); }

    /** Source: send filler bytes to a destination's probe and time it. */
    public LinkProbe.Result sendLinkProbe(LinkProbe.Send req) {
        return http.post("/v1/link-probe/send", req, Duration.ofSeconds(40), LinkProbe.Result.class);
    }

    /** Deletes images that no VM here uses, in pools of this host that are not shared (a failed cold copy's leftovers). */
    public List<String> discardImages(DiscardImagesRequest req) {
        return http.post("/v1/images/discard", req, DiscardImagesRequest.Result.class).deleted();
    }

    /** Source, after a cold migration: undefine the shut-off VM, and delete its unshared disk images if asked. */
    public void retire(String name, RetireRequest req) {
        http.post(vm(name) + "/retire", req, Duration.ofSeconds(60), Void.class);
    }

    protected static String vm(String name) { return "/v1/vms/" + URLEncoder.encode(name, StandardCharsets.UTF_8); }
}

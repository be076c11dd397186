package dev.ferry.agent.safety;

import dev.ferry.agent.vm.VmManager;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.migration.GuestHealth;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Function;

/**
 * The agent's routes for the controller's post-migration checks: {@code GET /v1/vms/{name}/perf-sample}
 * (vCPU time and the guest's work counters, {@link GuestWorkProbe}) and {@code GET /v1/vms/{name}/nics}
 * (which network each NIC of the running QEMU is really on, {@link NicInspector}).
 */
public final class SafetyApi {
    private final GuestWorkProbe work;
    private final NicInspector nics;

    public SafetyApi(VmManager vms, Function<String, GuestHealth> health, List<NetworkDef> networks) {
        this.work = new GuestWorkProbe(vms, health);
        this.nics = new NicInspector(vms, networks);
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get("/v1/vms/{name}/perf-sample", ctx -> ctx.json(work.sample(ctx.pathParam("name"))));
        r.get("/v1/vms/{name}/nics", ctx -> ctx.json(nics.inspect(ctx.pathParam("name"))));
    }
}

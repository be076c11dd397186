package dev.ferry.cli.lab;

import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.PlanClient;
import dev.ferry.api.plan.PlanView;

/** {@link PlanApi} through the controller's {@link PlanClient} (mutual TLS, the demo client's identity). */
public final class ControllerPlanApi implements PlanApi {
    private final PlanClient plans;

    public ControllerPlanApi(ControllerClient controller) {
        this.plans = new PlanClient(controller);
    }

    @Override
    public PlanView evacuate(String host, boolean dryRun) { return plans.evacuate(host, dryRun, null); }

    @Override
    public PlanView plan(String id) { return plans.show(id); }

    @Override
    public PlanView abort(String id) { return plans.abort(id); }
}

package dev.ferry.controller.plan;

import dev.ferry.controller.assess.Placement;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.migration.MigrationEngine;
import dev.ferry.controller.store.Database;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The plan feature as the controller starts it: the service, the evacuation and their routes,
 * wired to the database, the migration engine and the agents, so {@code FerryController} needs
 * three lines for it (start, register, close). Plans a previous controller left running are
 * resumed by {@link #resumeUnfinished()}, called once the migration engine has settled its jobs.
 */
public final class PlanModule implements AutoCloseable {
    static final long TICK_MS = 500;

    private final PlanService service;
    private final PlanRoutes routes;

    private PlanModule(PlanService service, PlanRoutes routes) {
        this.service = service;
        this.routes = routes;
    }

    /**
     * @param placement   where VMs may go (the assessment)
     * @param committer   books an accepted move in the plan's capacity ledger
     * @param maintenance puts a host in maintenance mode before it is evacuated
     * @param links       the newest measured goodput (bytes/s) of the link between two hosts, if any
     */
    public static PlanModule start(Database db, MigrationEngine engine, AgentDirectory agents, Placement placement,
                                   PlanValidator.Committer committer, Evacuation.Maintenance maintenance,
                                   BiFunction<String, String, Optional<Long>> links) {
        Clock clock = Clock.systemUTC();
        MovePredictor predictor = new MovePredictor(new AgentPlanInputs(agents, links));
        PlanService service = new PlanService(db.plans(), new PlanValidator(placement, db.vms(), predictor, committer),
                Migrations.of(engine, db.migrations(), db.vms()), predictor, clock, TICK_MS);
        Evacuation evacuation = new Evacuation(service, db.hosts(), db.vms(), maintenance, clock);
        return new PlanModule(service, new PlanRoutes(service, evacuation));
    }

    public void register(JavalinConfig config) { routes.register(config); }

    public void resumeUnfinished() { service.resumeUnfinished(); }

    public PlanService service() { return service; }

    @Override
    public void close() { service.close(); }
}

package dev.ferry.controller;

import dev.ferry.controller.assess.AssessmentApi;
import dev.ferry.controller.assess.Assessor;
import dev.ferry.controller.assess.CapacityPolicy;
import dev.ferry.controller.assess.PoolShareProver;
import dev.ferry.controller.assess.RecommendationScore;
import dev.ferry.controller.host.AgentDirectory;
import dev.ferry.controller.host.LinkMeasurements;
import dev.ferry.controller.host.LinkProbeService;
import dev.ferry.controller.host.Maintenance;
import dev.ferry.controller.host.HostRegistry;
import dev.ferry.controller.imports.ImportEngine;
import dev.ferry.controller.safety.SafetyService;
import dev.ferry.controller.migration.MigrationEngine;
import dev.ferry.controller.migration.MigrationMetrics;
import dev.ferry.controller.migration.Reconciler;
import dev.ferry.controller.plan.PlanModule;
import dev.ferry.controller.store.Database;
import dev.ferry.pki.TlsIdentity;
import dev.ferry.web.MtlsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.ferry.controller.store.MigrationRecord;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: opens the database, registers the configured hosts, settles migrations a
 * previous controller left unfinished, serves the API over mutual TLS, and keeps the inventory
 * fresh by polling the agents. Everything it knows is in the database, so it can be killed at any
 * moment and started again.
 */
public final class FerryController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FerryController.class);

    private final Database db;
    private final MigrationEngine engine;
    private final MtlsServer server;
    private final ScheduledExecutorService background;
    private ImportEngine imports;
    private PlanModule plans;
    private Assessor assessor;
    private LinkProbeService links;
    private SafetyService safety;

    private FerryController(Database db, MigrationEngine engine, MtlsServer server, ScheduledExecutorService background) {
        this.db = db;
        this.engine = engine;
        this.server = server;
        this.background = background;
    }

    public static FerryController start(ServerConfig config) {
        TlsIdentity identity = TlsIdentity.load(Path.of(config.tlsDir()));
        try {
            Files.createDirectories(Path.of(config.stateDir()));
        } catch (java.io.IOException e) {
            throw new dev.ferry.api.error.FerryException(dev.ferry.api.error.ErrorCode.IO_ERROR,
                    "cannot create " + config.stateDir() + ": " + e.getMessage());
        }
        Database db = Database.open(config.databaseConfig());
        AgentDirectory agents = new AgentDirectory(identity.sslContext(), db.hosts());
        HostRegistry registry = new HostRegistry(db.hosts(), db.vms(), agents);
        for (ServerConfig.Host h : config.hosts()) {
            try {
                registry.register(h.name(), h.url());
            } catch (RuntimeException e) {
                LOG.warn("host {} ({}) not registered yet: {}", h.name(), h.url(), e.getMessage());
            }
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Reconciler reconciler = new Reconciler(db.migrations(), agents);
        CapacityPolicy capacity = CapacityPolicy.of(config.capacity());
        LinkProbeService links = new LinkProbeService(agents, db.links(), Clock.systemUTC());
        Maintenance maintenance = new Maintenance(db.hosts(), db.maintenance(), agents);
        Assessor assessor = new Assessor(db.hosts(), db.vms(), db.maintenance(), agents, registry,
                new PoolShareProver(agents, db.poolProofs(), capacity.poolProofMaxAge(), Clock.systemUTC()), capacity,
                new RecommendationScore(links), Clock.systemUTC());
        AssessmentApi assessment = new AssessmentApi(assessor, maintenance, links);
        MigrationEngine engine = new MigrationEngine(db.migrations(), db.vms(), agents, registry, new MigrationMetrics(metrics),
                reconciler, assessor, config.safety(), db.backups());
        SafetyService safety = new SafetyService(db.migrations(), db.backups(), db.vms(), agents, registry, engine);
        safety.failLeftovers(db.migrations().unfinished());
        ImportEngine imports = new ImportEngine(db.migrations(), db.hosts(), db.vms(), registry, identity.sslContext());
        imports.resume(db.migrations().unfinished());
        AtomicReference<List<MigrationRecord>> orphans = new AtomicReference<>(reconciler.reconcile(db.migrations().unfinished().stream()
                .filter(r -> !ImportEngine.MODES.contains(r.mode()) && !SafetyService.MODES.contains(r.mode())).toList()));
        ScheduledExecutorService bg = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inventory-sync");
            t.setDaemon(true);
            return t;
        });
        bg.scheduleWithFixedDelay(() -> {
            try {
                registry.syncAll();
                if (!orphans.get().isEmpty()) orphans.set(reconciler.reconcile(orphans.get()));
                reconciler.settlePending();
                safety.sweep(java.time.Instant.now());
            } catch (RuntimeException e) {
                LOG.warn("inventory sync failed: {}", e.getMessage());
            }
        }, config.syncSeconds(), config.syncSeconds(), TimeUnit.SECONDS);
        PlanModule plans = PlanModule.start(db, engine, agents, assessor, assessor::commit,
                (host, reason) -> maintenance.set(host, true, reason),
                (from, to) -> links.latest(from, to).map(m -> (long) (m.goodputMiBps() * 1024 * 1024)));
        plans.resumeUnfinished();
        ControllerApi api = new ControllerApi(db.hosts(), db.vms(), registry, engine, metrics);
        MtlsServer server = MtlsServer.start(identity.sslContext(), config.listenHost(), config.listenPort(), c -> {
            api.register(c);
            imports.register(c);
            plans.register(c);
            assessment.register(c);
            safety.register(c);
        });
        LOG.info("controller listening on https://{}:{} ({} database)", config.listenHost(), server.port(), db.kind());
        FerryController controller = new FerryController(db, engine, server, bg);
        controller.imports = imports;
        controller.plans = plans;
        controller.assessor = assessor;
        controller.links = links;
        controller.safety = safety;
        return controller;
    }

    public int port() { return server.port(); }

    public MigrationEngine engine() { return engine; }

    /** Where moves are judged: the {@link dev.ferry.controller.assess.Placement} plans and evacuations use. */
    public Assessor assessor() { return assessor; }

    /** The measured links between hosts (plan predictions read the newest goodput of a pair). */
    public LinkMeasurements links() { return links; }
    /** Test migrations, rollbacks, backups and reports (for plans that roll back and for tests). */
    public SafetyService safety() { return safety; }

    @Override
    public void close() {
        background.shutdownNow();
        if (plans != null) plans.close();
        server.close();
        engine.close();
        if (imports != null) imports.close();
        if (safety != null) safety.close();
        db.close();
    }
}

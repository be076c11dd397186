package dev.ferry.controller.it;

import static dev.ferry.controller.it.Cluster.HOST_A;
import static dev.ferry.controller.it.Cluster.HOST_B;
import static dev.ferry.controller.it.Cluster.assertGuestContinues;
import static dev.ferry.controller.it.Cluster.awaitTransferring;
import static dev.ferry.controller.it.Cluster.describe;
import static dev.ferry.controller.it.Cluster.hasEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.PlanClient;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.store.TestDatabases;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plan half of "the controller killed mid-plan resumes the plan on restart; no VM ever runs on
 * two hosts", with a real kill: the controller runs as a process of its own
 * ({@link ControllerProcess}) and is SIGKILLed while the second of three moves (concurrency 1) is
 * in its transfer, so one item has succeeded, one is running and one is pending. A new controller
 * process on the same database (SQLite, then PostgreSQL) must settle the interrupted move (its
 * Reconciler), record how in the plan, leave the finished move alone, start the pending one and
 * end the plan, while a {@link PlacementWatch} checks all along that no guest runs on two hosts
 * and no VM has two unfinished jobs. At the end every guest runs on one host, the same guest as
 * before, intact.
 */
@Tag("qemu")
class PlanControllerKillTest {
    private static final List<String> GUESTS = List.of("k1", "k2", "k3");
    private static final Duration PLAN_TIMEOUT = Duration.ofMinutes(5);

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabases.Kind.class)
    void aControllerKilledMidPlanIsResumedByTheNextOneAndNoVmEverRunsOnTwoHosts(TestDatabases.Kind kind) {
        try (Cluster cluster = Cluster.start(kind);
             PlacementWatch watch = new PlacementWatch(cluster.a, cluster.b)) {
            try {
                run(cluster, watch);
            } catch (AssertionError | RuntimeException e) {
                System.err.println(cluster.processLogs());
                throw e;
            }
        }
    }

    private static void run(Cluster cluster, PlacementWatch watch) {
        Map<String, GuestHealth> booted = new HashMap<>();
        for (String vm : GUESTS) booted.put(vm, cluster.boot(cluster.a, vm, "ferry.mem=16 ferry.rate=1 ferry.memwss=1", 128, 16));
        ControllerProcess first = cluster.startControllerProcess();
        ControllerClient api1 = cluster.api(first.port());
        watch.follow(api1);
        awaitInventory(api1);

        // k2's cap of 8 MiB/s keeps its transfer of ~120 MiB open for seconds: the kill lands in it.
        // The guests dirty little (1 MiB/s in a 1 MiB working set), so even at that cap a live move converges.
        PlanClient plans1 = new PlanClient(api1);
        PlanView created = plans1.create(yaml("""
                name: killed
                onFailure: continue
                maxDowntimeMs: 1000
                limits: {perCluster: 1}
                vms:
                  - {vm: k1, to: host-b}
                  - {vm: k2, to: host-b, bandwidthMiBps: 8}
                  - {vm: k3, to: host-b}
                """));
        plans1.run(created.id());
        // A move past its transfer frees its slot (docs/plans.md), so k2 may start while k1 is still in
        // its monitor phase; the kill waits until k1 has ended (k2's transfer takes ~15 s, k1's watch 3 s).
        PlanView atKill = awaitPlan(plans1, created.id(), p -> item(p, "k2").migrationId() != null
                && item(p, "k1").state().equals("succeeded"), PLAN_TIMEOUT);
        String k2Job = item(atKill, "k2").migrationId();
        awaitTransferring(api1, k2Job, cluster.a, "k2", 1L << 20);
        watch.follow(null);
        first.kill();

        // The state at the kill: one done, one mid-transfer (both halves exist), one never started.
        PlanView before = atKill;
        assertThat(item(before, "k1").state()).as(describePlan(before)).isEqualTo("succeeded");
        assertThat(item(before, "k2").state()).as(describePlan(before)).isEqualTo("running");
        assertThat(item(before, "k3").state()).as(describePlan(before)).isEqualTo("pending");
        assertThat(item(before, "k3").migrationId()).isNull();
        assertThat(cluster.a.client().show("k2").state()).isEqualTo(VmState.RUNNING);
        assertThat(cluster.b.client().show("k2").state()).isEqualTo(VmState.INCOMING);

        ControllerProcess second = cluster.startControllerProcess();
        ControllerClient api2 = cluster.api(second.port());
        watch.follow(api2);
        PlanView done = awaitPlan(new PlanClient(api2), created.id(), PlanView::isFinished, PLAN_TIMEOUT);
        System.out.println("PLAN AFTER THE KILL: " + describePlan(done));

        assertResumedOnce(api2, before, done);
        assertNoOverlappingJobs(api2.migrations());
        watch.close();
        assertThat(watch.doubleRunning()).as("VMs seen RUNNING on two hosts").isEmpty();
        assertThat(watch.doubleJobs()).as("VMs seen with two unfinished jobs").isEmpty();
        assertThat(watch.agentReads()).as("reads of the agents' VM lists").isGreaterThan(40);
        assertThat(watch.jobRounds()).as("rounds of the controllers' job lists sampled").isGreaterThan(5);
        for (PlanItemView i : done.items()) {
            TestAgent host = cluster.agent("succeeded".equals(i.state()) ? i.destination() : i.source());
            cluster.assertRunsOnlyOn(i.vm(), host);
            assertThat(assertGuestContinues(host, i.vm(), booted.get(i.vm()), 0).ok()).isTrue();
        }
    }

    /**
     * The finished item kept its one job, the interrupted one was settled by reconciliation (the
     * plan saying whether it completed or rolled back), the pending one was started by the new
     * controller, and the plan's outcome follows from its items.
     */
    private static void assertResumedOnce(ControllerClient api, PlanView before, PlanView done) {
        String why = describePlan(done);
        assertThat(done.items()).as(why).allSatisfy(i -> assertThat(i.state()).isIn("succeeded", "failed"));
        for (String vm : GUESTS) {
            List<MigrationView> jobs = api.migrations().stream().filter(m -> m.vm().equals(vm)).toList();
            assertThat(jobs).as("jobs of %s: %s", vm, why).hasSize(1);
            assertThat(jobs.get(0).id()).isEqualTo(item(done, vm).migrationId());
            assertThat(jobs.get(0).isFinished()).isTrue();
        }
        assertThat(item(done, "k1").state()).isEqualTo("succeeded");
        assertThat(item(done, "k1").migrationId()).isEqualTo(item(before, "k1").migrationId());

        PlanItemView k2 = item(done, "k2");
        MigrationView k2Job = api.migration(k2.migrationId());
        assertThat(k2.migrationId()).isEqualTo(item(before, "k2").migrationId());
        assertThat(hasEvent(k2Job, "phase", "reconcile")).as(describe(k2Job)).isTrue();
        if ("succeeded".equals(k2.state())) {
            assertThat(hasEvent(k2Job, "info", "completed by reconciliation")).as(describe(k2Job)).isTrue();
        } else {
            assertThat(k2.error()).as(why).contains("controller stopped during phase transfer", "rolled back", HOST_A);
        }

        assertThat(item(done, "k3").state()).as(why).isEqualTo("succeeded");
        assertThat(api.migration(item(done, "k3").migrationId()).createdAt()).isAfter(api.migration(k2.migrationId()).createdAt());
        boolean allMoved = done.items().stream().allMatch(i -> "succeeded".equals(i.state()));
        assertThat(done.state()).as(why).isEqualTo(allMoved ? "succeeded" : "failed");
    }

    /** Each VM's jobs, in the order they were created, each ended before the next began. */
    private static void assertNoOverlappingJobs(List<MigrationView> jobs) {
        for (String vm : GUESTS) {
            List<MigrationView> mine = jobs.stream().filter(m -> m.vm().equals(vm)).sorted(Comparator.comparing(MigrationView::createdAt)).toList();
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i - 1).finishedAt()).as("%s: %s ended before %s began", vm, mine.get(i - 1).id(), mine.get(i).id())
                        .isBeforeOrEqualTo(mine.get(i).createdAt());
            }
        }
    }

    private static void awaitInventory(ControllerClient api) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> known = api.vms().stream().filter(v -> HOST_A.equals(v.path("host").asText()))
                    .map(v -> v.path("name").asText()).toList();
            if (known.containsAll(GUESTS)) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the controller knows only " + known + " on " + HOST_A);
            Cluster.sleep(200);
        }
    }

    private static PlanView awaitPlan(PlanClient plans, String id, Predicate<PlanView> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PlanView v = plans.show(id);
            if (condition.test(v)) return v;
            if (v.isFinished()) throw new AssertionError("plan ended before the expected state: " + describePlan(v));
            if (System.nanoTime() > deadline) throw new AssertionError("plan stuck: " + describePlan(v));
            Cluster.sleep(50);
        }
    }

    private static PlanItemView item(PlanView p, String vm) {
        return p.items().stream().filter(i -> i.vm().equals(vm)).findFirst().orElseThrow();
    }

    private static String describePlan(PlanView v) {
        StringBuilder sb = new StringBuilder(v.name() + " " + v.state() + " " + v.errorMessage());
        for (PlanItemView i : v.items()) {
            sb.append("\n  ").append(i.vm()).append(' ').append(i.source()).append("->").append(i.destination()).append(' ')
                    .append(i.state()).append(" job=").append(i.migrationId()).append(" error=").append(i.error());
        }
        return sb.toString();
    }

    private static JsonNode yaml(String text) {
        try {
            return Json.yaml().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

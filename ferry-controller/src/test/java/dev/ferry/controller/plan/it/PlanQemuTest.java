package dev.ferry.controller.plan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.TestGuest;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.controller.plan.report.PlanReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Plans with real QEMU guests on three in-process agents and a controller on SQLite, the four
 * guests booted once and moved around by the tests in order: a plan containing an incompatible pair
 * is refused and touches nothing; a two-wave plan of four VMs with concurrency 2 finishes with every
 * guest intact and a report of predicted against measured; a plan whose controller is closed
 * mid-run is resumed by a new controller on the same database, no VM running on two hosts; and a
 * host evacuation leaves the host empty, every guest intact, and the host refusing migrations.
 */
@Tag("qemu")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanQemuTest {
    static PlanCluster cluster;
    static final Map<String, GuestHealth> health = new HashMap<>();
    static final List<String> GUESTS = List.of("g1", "g2", "g3", "g4");

    @BeforeAll
    static void boot() {
        cluster = PlanCluster.start();
        health.put("g1", cluster.boot("host-a", "g1"));
        health.put("g2", cluster.boot("host-a", "g2"));
        health.put("g3", cluster.boot("host-b", "g3"));
        health.put("g4", cluster.boot("host-c", "g4"));
        cluster.awaitInventory(GUESTS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void aPlanWithAnIncompatiblePairIsRefusedAndNoVmIsTouched() {
        // "odd" is an i440fx guest: host-b offers only q35, so odd -> host-b cannot be.
        Path disk = TestGuest.createRawDisk(cluster.shared, "odd.img", 16);
        VmSpec q35 = TestGuest.spec("odd", 128, "ferry.disk=vda", disk);
        cluster.agent("host-a").client().define(new VmSpec(q35.name(), q35.uuid(), q35.vcpus(), q35.memoryMiB(), q35.cpuModel(), "pc",
                q35.firmware(), q35.boot(), q35.disks(), q35.nics(), q35.serialLog()));
        cluster.awaitInventory(List.of("odd"));
        JsonNode doc = yaml("""
                name: refused
                vms:
                  - {vm: g1, to: host-c}
                  - {vm: odd, to: host-b, mode: cold}
                """);
        assertThatThrownBy(() -> cluster.plans.create(doc)).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ASSESSMENT_BLOCKED);
            assertThat(e.getMessage()).contains("odd -> host-b").contains("MACHINE_TYPE_MISSING").doesNotContain("g1 -> host-c:");
        });
        PlanView checked = cluster.plans.validate(doc);
        assertThat(checked.state()).isEqualTo("refused");
        assertThat(checked.findings()).anySatisfy(f -> assertThat(f.message()).startsWith("odd -> host-b"));
        assertThat(cluster.plans.list()).isEmpty();
        assertThat(cluster.api.migrations()).as("no migration was started").isEmpty();
        assertThat(cluster.hostsKnowing("g1")).containsExactly("host-a");
        cluster.agent("host-a").client().discard("odd", true);
    }

    @Test
    @Order(2)
    void aTwoWavePlanOfFourVmsFinishesWithEveryGuestIntactAndReportsPredictedAgainstMeasured() throws Exception {
        PlanView p = cluster.plans.create(yaml("""
                name: shuffle
                mode: live
                limits: {perCluster: 2, perLink: 2, perSource: 2, perDestination: 2}
                waves:
                  - vms:
                      - {vm: g1, to: host-c}
                      - {vm: g4, to: host-a}
                  - vms:
                      - {vm: g3, to: host-c, dependsOn: [g1]}
                      - {vm: g2, to: auto}
                """));
        assertThat(p.state()).isEqualTo("validated");
        assertThat(p.predictedTotalMs()).isPositive();
        assertThat(p.items()).allSatisfy(i -> {
            assertThat(i.predicted().totalMs()).isPositive();
            assertThat(i.predicted().bytes()).isPositive();
            assertThat(i.assessment().movable()).isTrue();
        });
        String g2To = p.items().get(3).destination();
        assertThat(g2To).isIn("host-b", "host-c");
        cluster.plans.run(p.id());
        PlanView done = awaitPlan(p.id(), PlanView::isFinished, Duration.ofMinutes(6));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        for (PlanItemView i : done.items()) {
            assertThat(i.measured().totalMs()).as(i.vm()).isPositive();
            assertThat(i.measured().downtimeMs()).as(i.vm()).isNotNull();
            MigrationView m = cluster.api.migration(i.migrationId());
            assertThat(m.state()).isEqualTo("succeeded");
            health.put(i.vm(), cluster.assertIntactOnlyOn(i.vm(), i.destination(), health.get(i.vm())));
        }
        // g1 and g4 cross the one link host-a|host-c at once: each started with half of it (QEMU's default 128 MiB/s)
        for (PlanItemView i : done.items().subList(0, 2)) {
            assertThat(cluster.api.migration(i.migrationId()).events()).as(i.vm())
                    .anySatisfy(e -> assertThat(e.message()).contains("bandwidth 64.0 MiB/s"));
        }
        // waves in order: every wave-2 job was created after every wave-1 job ended
        long wave1End = done.items().stream().filter(i -> i.wave() == 1).mapToLong(i -> cluster.api.migration(i.migrationId()).finishedAt()
                .toEpochMilli()).max().orElseThrow();
        assertThat(done.items().stream().filter(i -> i.wave() == 2)).allSatisfy(i ->
                assertThat(cluster.api.migration(i.migrationId()).createdAt().toEpochMilli()).isGreaterThanOrEqualTo(wave1End));
        Path out = cluster.dir.resolve("report");
        PlanReport.of(done).write(out);
        String md = Files.readString(out.resolve("report.md"));
        for (PlanItemView i : done.items()) assertThat(md).contains(i.migrationId()).contains("| " + i.vm() + " |");
        assertThat(md).contains("duration predicted | duration measured");
        assertThat(cluster.plans.report(p.id(), "html")).contains("<td>g1</td>");
        assertThat(cluster.plans.chart(p.id())).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        System.out.println("PLAN REPORT\n" + md);
    }

    @Test
    @Order(3)
    void aControllerClosedMidPlanIsResumedByANewOneAndNoVmRunsOnTwoHosts() {
        // After the shuffle: host-a g4, host-c g1 g3, and g2 on host-b or host-c.
        PlanView p = cluster.plans.create(yaml("""
                name: resume
                onFailure: continue
                limits: {perCluster: 1}
                vms:
                  - {vm: g4, to: host-c}
                  - {vm: g2, to: host-a}
                """));
        cluster.plans.run(p.id());
        awaitPlan(p.id(), v -> "running".equals(v.items().get(0).state()), Duration.ofSeconds(60));
        cluster.restartController();
        PlanView done = awaitPlan(p.id(), PlanView::isFinished, Duration.ofMinutes(5));
        assertThat(done.items().get(1).state()).as("the item pending at the restart was started by the new controller: " + describe(done))
                .isEqualTo("succeeded");
        for (PlanItemView i : done.items()) {
            List<String> where = cluster.hostsKnowing(i.vm());
            assertThat(where).as(i.vm() + " runs on exactly one host").hasSize(1);
            health.put(i.vm(), cluster.assertIntactOnlyOn(i.vm(), where.get(0), health.get(i.vm())));
            assertThat(where.get(0)).isEqualTo("succeeded".equals(i.state()) ? i.destination() : i.source());
            long jobs = cluster.api.migrations().stream().filter(m -> m.vm().equals(i.vm()) && m.createdAt().isAfter(done.createdAt())).count();
            assertThat(jobs).as("migrations of " + i.vm() + " since the plan was created").isEqualTo(1);
        }
        System.out.println("RESUMED PLAN: " + describe(done));
    }

    @Test
    @Order(4)
    void evacuatingAHostLeavesItEmptyWithEveryGuestIntactAndTheHostRefusesMigrations() {
        // host-c runs g1 and g3, and g4 unless the restart above rolled its move back: then it is moved there now.
        if (!cluster.hostsKnowing("g4").equals(List.of("host-c"))) {
            MigrationView m = cluster.api.startMigration(new MigrationRequest("g4", "host-c", null, null, null, "live", null, null, null, null));
            assertThat(awaitMigration(m.id()).state()).isEqualTo("succeeded");
            health.put("g4", cluster.assertIntactOnlyOn("g4", "host-c", health.get("g4")));
        }
        List<String> onC = GUESTS.stream().filter(g -> cluster.hostsKnowing(g).equals(List.of("host-c"))).toList();
        assertThat(onC).as("host-c runs three guests").hasSize(3);
        PlanView dry = cluster.plans.evacuate("host-c", true, null);
        assertThat(dry.state()).isEqualTo("valid");
        assertThat(dry.items()).extracting(PlanItemView::vm).containsExactlyInAnyOrderElementsOf(onC);
        assertThat(dry.items()).allSatisfy(i -> assertThat(i.destination()).isIn("host-a", "host-b"));
        assertThat(cluster.hostsKnowing(onC.get(0))).as("a dry run moves nothing").containsExactly("host-c");

        PlanView p = cluster.plans.evacuate("host-c", false, null);
        PlanView done = awaitPlan(p.id(), PlanView::isFinished, Duration.ofMinutes(6));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        assertThat(cluster.agent("host-c").client().list()).as("host-c is empty").isEmpty();
        for (PlanItemView i : done.items()) health.put(i.vm(), cluster.assertIntactOnlyOn(i.vm(), i.destination(), health.get(i.vm())));
        assertThatThrownBy(() -> cluster.api.startMigration(new MigrationRequest("g1", "host-c", null, null, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_IN_MAINTENANCE));
    }

    static MigrationView awaitMigration(String id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            MigrationView v = cluster.api.migration(id);
            if (v.isFinished()) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("migration " + id + " did not finish: " + v);
            PlanCluster.sleep(300);
        }
    }

    static PlanView awaitPlan(String id, Predicate<PlanView> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PlanView v = cluster.plans.show(id);
            if (condition.test(v)) return v;
            if (System.nanoTime() > deadline) {
                try {
                    cluster.plans.abort(id);
                } catch (FerryException ignored) {
                    // it may have ended meanwhile
                }
                throw new AssertionError("plan " + id + " did not reach the expected state within " + timeout.toSeconds() + " s: " + describe(v));
            }
            PlanCluster.sleep(300);
        }
    }

    static String describe(PlanView v) {
        StringBuilder sb = new StringBuilder(v.name() + " " + v.state() + " " + v.errorMessage());
        for (PlanItemView i : v.items()) {
            sb.append("\n  ").append(i.vm()).append(' ').append(i.source()).append("->").append(i.destination()).append(" w").append(i.wave())
                    .append(' ').append(i.state()).append(" job=").append(i.migrationId()).append(" predicted=").append(i.predicted())
                    .append(" measured=").append(i.measured()).append(" error=").append(i.error());
        }
        return sb.toString();
    }

    static JsonNode yaml(String text) {
        try {
            return Json.yaml().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

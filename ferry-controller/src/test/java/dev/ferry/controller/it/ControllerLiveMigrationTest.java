package dev.ferry.controller.it;

import static dev.ferry.controller.it.Cluster.HOST_A;
import static dev.ferry.controller.it.Cluster.HOST_B;
import static dev.ferry.controller.it.Cluster.MIGRATION_TIMEOUT;
import static dev.ferry.controller.it.Cluster.assertControllerPlaces;
import static dev.ferry.controller.it.Cluster.assertGuestContinues;
import static dev.ferry.controller.it.Cluster.assertHeartbeatAdvances;
import static dev.ferry.controller.it.Cluster.assertNotOn;
import static dev.ferry.controller.it.Cluster.awaitFinished;
import static dev.ferry.controller.it.Cluster.awaitTransferring;
import static dev.ferry.controller.it.Cluster.describe;
import static dev.ferry.controller.it.Cluster.name;
import static dev.ferry.controller.it.Cluster.qemuPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.QemuReaper;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.controller.FerryController;
import dev.ferry.controller.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live migration through the controller's HTTP API, end to end: real agents, real QEMU (TCG), the
 * test guest dirtying memory and writing its disk, and the controller's database of each kind.
 * The guest's own self-checks (heartbeat, memory pages, disk records) prove it survived each move;
 * both agents' VM lists prove it lives on exactly one host. One cluster (agents, database, an
 * in-process controller) serves all tests of one database kind; each test boots its own guest.
 */
@Tag("qemu")
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabases.Kind.class)
class ControllerLiveMigrationTest {
    /** 64 MiB rewritten at 32 MiB/s (one verified pass every 2 s), a heartbeat every 50 ms. */
    static final String LOADED = "ferry.mem=64 ferry.rate=32 ferry.hb=50";
    /** Slow enough that the transfer of a LOADED guest never converges: it runs until something ends it. */
    static final int SLOW_MIB_PER_S = 4;

    /** One cluster and controller per database kind; each test boots its own guest and leaves empty hosts behind. */
    static Cluster cluster;
    static ControllerClient api;
    static int port;

    @Parameter
    TestDatabases.Kind kind;

    @BeforeParameterizedClassInvocation
    static void startCluster(TestDatabases.Kind databaseKind) {
        cluster = Cluster.start(databaseKind);
        FerryController controller = cluster.startController();
        port = controller.port();
        api = cluster.api(port);
    }

    @AfterParameterizedClassInvocation
    static void stopCluster() {
        if (cluster != null) cluster.close();
        cluster = null;
    }

    @AfterEach
    void emptyTheHosts() {
        cluster.removeAllVms();
    }

    /**
     * A -> B -> A -> B under memory load. The first move is also followed as a user's progress bar
     * would (server-sent events, capped at 64 MiB/s so it lasts a few seconds), and at the end the
     * Prometheus counters must show the three moves by direction.
     */
    @Test
    void aLoadedGuestMovesABABIntactAndLivesOnExactlyOneHostAfterEachMove() throws Exception {
        String vm = "roundtrip";
        GuestHealth health = cluster.boot(cluster.a, vm, LOADED);
        TestAgent from = cluster.a;
        boolean watched = false;
        for (TestAgent to : List.of(cluster.b, cluster.a, cluster.b)) {
            GuestHealth before = from.client().guestHealth(vm);
            assertThat(before.ok()).as("guest health on %s before leaving: %s", name(from), before).isTrue();

            MigrationView started = api.startMigration(new MigrationRequest(vm, name(to), null, watched ? null : 64, null));
            assertThat(started.state()).isEqualTo("running");
            assertThat(started.source()).isEqualTo(name(from));
            assertThat(started.destination()).isEqualTo(name(to));
            if (!watched) {
                assertWatchStreamsProgressThenDone(started.id());
                watched = true;
            }
            MigrationView done = awaitFinished(api, started.id(), MIGRATION_TIMEOUT);

            String round = name(from) + " -> " + name(to);
            assertThat(done.state()).as("%s: %s", round, describe(done)).isEqualTo("succeeded");
            assertThat(done.errorCode()).isNull();
            MigrationResult r = done.result();
            assertThat(r).as("%s: result", round).isNotNull();
            assertThat(r.downtimeMs()).as("%s: downtime", round).isNotNull().isBetween(0L, 5_000L);
            assertThat(r.transferredBytes()).as("%s: bytes", round).isGreaterThan(32L << 20);
            assertThat(r.iterations()).as("%s: dirty-sync iterations", round).isGreaterThanOrEqualTo(1);
            assertThat(r.totalTimeMs()).isPositive();
            assertThat(r.heartbeatBefore()).isNotNull();
            assertThat(r.heartbeatAfter()).as("%s: heartbeat after > before", round).isGreaterThan(r.heartbeatBefore());
            System.out.printf("MEASURED %s via controller (%s): %s%n", round, kind, r);

            health = assertGuestContinues(to, vm, before, 0);
            cluster.assertRunsOnlyOn(vm, to);
            assertControllerPlaces(api, vm, name(to));
            from = to;
        }
        // Two more complete passes on the last host: every page of the buffer verified after the last move.
        assertGuestContinues(from, vm, health, 2);
        assertThat(api.migrations()).filteredOn(m -> m.vm().equals(vm)).hasSize(3).allMatch(m -> m.state().equals("succeeded"));

        String metrics = api.metrics();
        assertThat(metricLine(metrics, "ferry_migrations_total", "outcome=\"succeeded\"", "vm=\"" + vm + "\"",
                "source=\"" + HOST_A + "\"", "destination=\"" + HOST_B + "\"")).as(metrics).matches(".* 2(\\.0)?");
        assertThat(metricLine(metrics, "ferry_migrations_total", "outcome=\"succeeded\"", "vm=\"" + vm + "\"",
                "source=\"" + HOST_B + "\"", "destination=\"" + HOST_A + "\"")).as(metrics).matches(".* 1(\\.0)?");
        assertThat(metricLine(metrics, "ferry_migration_downtime_seconds_count", "vm=\"" + vm + "\"", "source=\"" + HOST_A + "\""))
                .matches(".* 2(\\.0)?");
        assertThat(metricLine(metrics, "ferry_migration_transferred_bytes_total", "vm=\"" + vm + "\"", "source=\"" + HOST_B + "\""))
                .as(metrics).matches(".* [1-9][0-9.E]*");
        assertThat(metrics).contains("ferry_migrations_in_flight 0.0");
    }

    /** Follows the job over SSE: progress events while it runs (some with transfer statistics), then exactly one done. */
    private static void assertWatchStreamsProgressThenDone(String id) throws Exception {
        CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = api.watch(id)) {
                return lines.toList();
            }
        });
        List<String> lines = stream.get(MIGRATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        List<String[]> events = sse(lines);
        List<String> names = events.stream().map(e -> e[0]).toList();
        assertThat(names).as("SSE stream: %s", lines).isNotEmpty();
        assertThat(names.get(names.size() - 1)).as("last event of %s", names).isEqualTo("done");
        assertThat(names.subList(0, names.size() - 1)).as("events before done").isNotEmpty().containsOnly("progress");
        List<MigrationView> progress = new ArrayList<>();
        for (String[] e : events.subList(0, events.size() - 1)) progress.add(Json.mapper().readValue(e[1], MigrationView.class));
        assertThat(progress).allMatch(v -> v.id().equals(id) && v.state().equals("running") && !v.isFinished());
        assertThat(progress).as("progress events with transfer statistics")
                .anyMatch(v -> v.progress() != null && v.progress().transferredBytes() > 0);
        MigrationView done = Json.mapper().readValue(events.get(events.size() - 1)[1], MigrationView.class);
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        assertThat(done.result()).isNotNull();
    }

    @Test
    void aDestinationQemuKilledDuringTransferFailsTheJobLeavesTheSourceRunningAndARetrySucceeds() {
        String vm = "dest-killed";
        GuestHealth booted = cluster.boot(cluster.a, vm, LOADED);
        MigrationView started = api.startMigration(new MigrationRequest(vm, HOST_B, null, SLOW_MIB_PER_S, null));
        awaitTransferring(api, started.id(), cluster.a, vm, 2L << 20);

        long pid = qemuPid(cluster.b, vm);
        long beatBeforeKill = cluster.a.client().guestHealth(vm).heartbeat();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        MigrationView failed = awaitFinished(api, started.id(), Duration.ofSeconds(60));

        assertThat(failed.state()).as(describe(failed)).isEqualTo("failed");
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.MIGRATION_FAILED.name());
        assertThat(failed.errorMessage()).as(describe(failed)).containsIgnoringCase("migration stream failed");
        assertThat(failed.result()).isNull();
        assertThat(QemuReaper.isRunning(pid)).isFalse();
        assertHeartbeatAdvances(cluster.a, vm, beatBeforeKill);
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertControllerPlaces(api, vm, HOST_A);
        GuestHealth survived = assertGuestContinues(cluster.a, vm, booted, 0);
        assertThat(metricLine(api.metrics(), "ferry_migrations_total", "outcome=\"failed\"", "vm=\"" + vm + "\""))
                .matches(".* 1(\\.0)?");

        MigrationView retry = awaitFinished(api, api.startMigration(new MigrationRequest(vm, HOST_B, null, null, null)).id(),
                MIGRATION_TIMEOUT);
        assertThat(retry.state()).as(describe(retry)).isEqualTo("succeeded");
        assertGuestContinues(cluster.b, vm, survived, 0);
        cluster.assertRunsOnlyOn(vm, cluster.b);
        assertControllerPlaces(api, vm, HOST_B);
    }

    @Test
    void aSecondMigrationIsRefusedWhileOneRunsAndAnAbortLeavesTheGuestOnTheSource() throws Exception {
        String vm = "aborted";
        GuestHealth booted = cluster.boot(cluster.a, vm, LOADED);
        MigrationView first = api.startMigration(new MigrationRequest(vm, HOST_B, null, SLOW_MIB_PER_S, null));
        awaitTransferring(api, first.id(), cluster.a, vm, 2L << 20);

        FerryException busy = catchThrowableOfType(FerryException.class,
                () -> api.startMigration(new MigrationRequest(vm, HOST_B, null, null, null)));
        assertThat(busy).as("second migration of a migrating VM").isNotNull();
        assertThat(busy.code()).isEqualTo(ErrorCode.VM_BUSY);
        assertThat(busy.getMessage()).contains(vm, first.id());
        HttpResponse<String> raw = postRaw("/v1/migrations", Json.mapper().writeValueAsString(new MigrationRequest(vm, HOST_B, null, null, null)));
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(409);
        JsonNode body = Json.mapper().readTree(raw.body());
        assertThat(body.path("code").asText()).isEqualTo("VM_BUSY");
        assertThat(body.path("message").asText()).contains(first.id());
        assertThat(api.migrations()).filteredOn(m -> m.vm().equals(vm)).as("refused requests leave no job").hasSize(1);
        assertThat(api.migration(first.id()).state()).isEqualTo("running");

        long beatBeforeAbort = cluster.a.client().guestHealth(vm).heartbeat();
        api.abort(first.id());
        MigrationView aborted = awaitFinished(api, first.id(), Duration.ofSeconds(60));

        assertThat(aborted.state()).as(describe(aborted)).isEqualTo("aborted");
        assertThat(aborted.errorCode()).isEqualTo(ErrorCode.MIGRATION_ABORTED.name());
        assertHeartbeatAdvances(cluster.a, vm, beatBeforeAbort);
        cluster.assertRunsOnlyOn(vm, cluster.a);
        assertNotOn(vm, cluster.b);
        assertGuestContinues(cluster.a, vm, booted, 0);
        assertControllerPlaces(api, vm, HOST_A);
        FerryException late = catchThrowableOfType(FerryException.class, () -> api.abort(first.id()));
        assertThat(late).isNotNull();
        assertThat(late.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(metricLine(api.metrics(), "ferry_migrations_total", "outcome=\"aborted\"", "vm=\"" + vm + "\""))
                .matches(".* 1(\\.0)?");
    }

    /** The one sample line of {@code metric} carrying all {@code labels}; fails if there is none or several. */
    private static String metricLine(String metrics, String metric, String... labels) {
        List<String> hits = metrics.lines().filter(l -> l.startsWith(metric + "{"))
                .filter(l -> Stream.of(labels).allMatch(l::contains)).toList();
        assertThat(hits).as("%s%s in\n%s", metric, List.of(labels), metrics).hasSize(1);
        return hits.get(0);
    }

    /** Server-sent events as (name, data) pairs. */
    private static List<String[]> sse(List<String> lines) {
        List<String[]> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty()) {
                if (data.length() > 0) events.add(new String[] {name, data.toString()});
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) data.append('\n');
                data.append(line.substring(5).strip());
            }
        }
        if (data.length() > 0) events.add(new String[] {name, data.toString()});
        return events;
    }

    private static HttpResponse<String> postRaw(String path, String json) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(cluster.pki.clientSsl()).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}

package dev.ferry.controller.modes;

import static dev.ferry.controller.modes.ModesCluster.assertGuestContinues;
import static dev.ferry.controller.modes.ModesCluster.describe;
import static dev.ferry.controller.modes.ModesCluster.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.testing.TestAgent;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.qemu.qmp.QmpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One VM moved back and forth five times with different allowances and modes. A QEMU that received
 * a VM keeps the migration capabilities and parameters of that migration, and it is the source of
 * the next move: a user's VM that arrived with {@code --allow-postcopy} could not leave again
 * without it (the source still advertised post-copy, the fresh destination refused the stream),
 * and one that arrived with {@code --allow-throttle} was throttled on its next move although that
 * move did not allow it. The moves: throttle, post-copy, none, warm, XBZRLE with both allowances
 * (XBZRLE has no flag; the planner picks it over a 50 MiB/s link), warm. Every move ends with the
 * guest's own checks passing on exactly one host, and the moves after an allowance check on the
 * running QEMUs that nothing of the previous move's settings is left and that both ends agree.
 */
class RepeatedMigrationTest extends ModesTest {
    /** A guest that plain pre-copy cannot move over a 20 MiB/s link within 50 ms (as in AdaptiveLiveMigrationTest). */
    static final String BUSY = AdaptiveLiveMigrationTest.NON_CONVERGENT;

    /** Moves whose source QEMU did not have the settings the move asked for (cleared before each test). */
    private static final List<String> STALE = new ArrayList<>();

    @BeforeEach
    void clearStale() { STALE.clear(); }

    @Test
    void oneVmMovedFiveTimesWithMixedModesAndAllowancesStaysIntact() {
        String vm = "vm-moves";
        GuestHealth h = cluster.boot(cluster.a, vm, 256, BUSY, false);

        // 1: a->b, throttling allowed and needed: host-b's QEMU receives auto-converge.
        MigrationView throttled = move(live(vm, ModesCluster.HOST_B, 20, false, true), null, null);
        assertThat(throttled.result().strategy()).isEqualTo("auto-converge");
        h = arrived(vm, cluster.b, throttled, h, "1 live a->b --allow-throttle");

        // 2: b->a, post-copy allowed, throttling not: the source that received auto-converge must not throttle.
        MigrationView postcopy = move(live(vm, ModesCluster.HOST_A, 20, true, false), cluster.b,
                Map.of("postcopy-ram", true, "auto-converge", false, "xbzrle", false));
        assertThat(postcopy.result().strategy()).isEqualTo("postcopy");
        h = arrived(vm, cluster.a, postcopy, h, "2 live b->a --allow-postcopy");

        // 3: a->b with nothing allowed (the user's failing move): the source that received post-copy must not offer it.
        MigrationView plain = move(live(vm, ModesCluster.HOST_B, null, false, false), null, null);
        assertThat(plain.result().strategy()).isIn("precopy", "downtime-steps");
        h = arrived(vm, cluster.b, plain, h, "3 live a->b no allowances");

        // 4: b->a warm.
        MigrationView warm = move(new MigrationRequest(vm, ModesCluster.HOST_A, null, null, null, "warm", null, null, null, null),
                null, null);
        h = arrived(vm, cluster.a, warm, h, "4 warm b->a");

        // 5: a->b live with both allowances over a 50 MiB/s link: XBZRLE is the cheapest strategy the model
        // sees converging (it assumes re-sent pages cost half; this guest rewrites whole pages, so the
        // escalator moves on to the throttle). Both ends get the same three capabilities.
        Map<String, Boolean> three = Map.of("xbzrle", true, "postcopy-ram", true, "auto-converge", true);
        MigrationView both = move(live(vm, ModesCluster.HOST_B, 50, true, true),
                List.of(new Check(cluster.a, three), new Check(cluster.b, three)));
        assertThat(ModesCluster.hasEvent(both, "plan", "chose xbzrle")).as(describe(both)).isTrue();
        h = arrived(vm, cluster.b, both, h, "5 live a->b --allow-throttle --allow-postcopy, 50 MiB/s");

        // 6: b->a warm again: the source received XBZRLE, post-copy and auto-converge; a warm move needs none.
        MigrationView back = move(new MigrationRequest(vm, ModesCluster.HOST_A, null, null, null, "warm", null, null, null, null),
                cluster.b, Map.of("postcopy-ram", false, "auto-converge", false, "xbzrle", false));
        arrived(vm, cluster.a, back, h, "6 warm b->a");
        assertThat(STALE).as("settings left over from an earlier move").isEmpty();
    }

    /**
     * A move that escalated (auto-converge switched to its real throttle on the source) and was then
     * aborted leaves the VM on a QEMU that still has auto-converge and the escalated throttle; the
     * next move, which allows no throttling, must start from QEMU's defaults.
     */
    @Test
    void anAbortedEscalatedMoveLeavesNoTraceOnTheNextOne() {
        String vm = "vm-retry";
        GuestHealth h = cluster.boot(cluster.a, vm, 256, BUSY, false);
        MigrationView started = cluster.api.startMigration(live(vm, ModesCluster.HOST_B, 20, false, true));
        awaitEvent(started.id(), "escalate", "auto-converge", Duration.ofSeconds(180));
        cluster.api.abort(started.id());
        MigrationView aborted = cluster.awaitFinished(started.id(), Duration.ofSeconds(120));
        assertThat(aborted.state()).as(describe(aborted)).isEqualTo("aborted");
        cluster.assertRunsOnlyOn(vm, cluster.a);
        h = assertGuestContinues(cluster.a, vm, h);
        Map<String, Object> left = settings(cluster.a, vm);
        assertThat(left).as("what the aborted move left on the QEMU (the trace the next move must undo)")
                .containsEntry("auto-converge", true).doesNotContainEntry("cpu-throttle-initial", 20L);

        MigrationView next = move(live(vm, ModesCluster.HOST_B, null, false, false), cluster.a, Map.of("auto-converge", false,
                "postcopy-ram", false, "cpu-throttle-initial", 20L, "cpu-throttle-increment", 10L, "throttle-trigger-threshold", 50L));
        arrived(vm, cluster.b, next, h, "live a->b after an aborted, escalated move");
        assertThat(STALE).as("settings left over from the aborted move").isEmpty();
    }

    private static void awaitEvent(String id, String kind, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            MigrationView v = cluster.api.migration(id);
            if (ModesCluster.hasEvent(v, kind, text)) return;
            if (v.isFinished() || System.nanoTime() > deadline) {
                throw new AssertionError("no " + kind + " event with '" + text + "' before the job ended or " + timeout.toSeconds()
                        + " s passed: " + describe(v));
            }
            ModesCluster.sleep(100);
        }
    }

    private static MigrationRequest live(String vm, String to, Integer bandwidth, boolean postcopy, boolean throttle) {
        return new MigrationRequest(vm, to, 50, bandwidth, null, "live", postcopy ? Boolean.TRUE : null,
                throttle ? Boolean.TRUE : null, null, null);
    }

    /** Settings a QEMU on {@code host} must show at some reading while the move runs. */
    private record Check(TestAgent host, Map<String, ?> expected) {}

    private static MigrationView move(MigrationRequest req, TestAgent source, Map<String, ?> expected) {
        return move(req, source == null ? List.of() : List.of(new Check(source, expected)));
    }

    /**
     * Starts one move and watches the VM's QEMU on each checked host (every 100 ms, from the first
     * phase on) for a reading that contains the expected settings: the agents set them when the
     * destination is prepared and when the transfer starts, so a stale setting shows as a job that
     * finishes without such a reading (recorded in {@link #STALE}, not thrown, so the next move shows
     * what it does). Returns the finished job, which must have succeeded.
     */
    private static MigrationView move(MigrationRequest req, List<Check> checks) {
        MigrationView started = cluster.api.startMigration(req);
        Map<Check, Map<String, Object>> seen = new java.util.HashMap<>();
        List<Check> open = new ArrayList<>(checks);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        MigrationView v = cluster.api.migration(started.id());
        while (!v.isFinished() && System.nanoTime() < deadline) {
            for (Check c : List.copyOf(open)) {
                Map<String, Object> now = settings(c.host(), req.vm());
                if (now == null) continue;
                seen.put(c, now);
                if (now.entrySet().containsAll(c.expected().entrySet())) open.remove(c);
            }
            ModesCluster.sleep(100);
            v = cluster.api.migration(started.id());
        }
        MigrationView done = cluster.awaitFinished(started.id(), Duration.ofSeconds(60));
        assertThat(done.state()).as(describe(done)).isEqualTo("succeeded");
        for (Check c : open) {
            STALE.add("the QEMU on " + c.host().config().name() + " never had " + c.expected() + " during the move to " + req.to()
                    + " (mode " + req.mode() + "); last read " + seen.get(c));
        }
        return done;
    }

    private static GuestHealth arrived(String vm, TestAgent host, MigrationView done, GuestHealth before, String what) {
        report(what, done);
        GuestHealth after = assertGuestContinues(host, vm, before);
        cluster.assertRunsOnlyOn(vm, host);
        return after;
    }

    /**
     * The migration capabilities (true/false) and numeric parameters (as Long) of the VM's QEMU on
     * {@code host}, straight from QEMU; null once that QEMU is gone.
     */
    static Map<String, Object> settings(TestAgent host, String vm) {
        try {
            QmpClient qmp = host.agent().vms().requireRunning(vm).qmp();
            Map<String, Object> out = new TreeMap<>();
            for (JsonNode c : qmp.execute("query-migrate-capabilities")) out.put(c.path("capability").asText(), c.path("state").asBoolean());
            qmp.execute("query-migrate-parameters").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) out.put(e.getKey(), e.getValue().asLong());
            });
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }
}

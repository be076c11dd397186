package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controller.plan.PlanScheduler.Move;
import dev.ferry.controller.plan.PlanScheduler.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the scheduler against a fake clock and a fake migration starter with random plans, random
 * durations and random failures, and checks the invariants after every step: no limit is ever
 * exceeded (counted over the moves in transfer: a move whose transfer is over holds no slot, yet
 * the plan ends only after it), waves run in order, dependencies are honoured, no forward move starts outside the
 * window or with a predicted end after it, the on-failure policy holds, and every item ends final.
 */
class PlanSchedulerSimulationTest {
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30})
    void randomPlansKeepEveryInvariant(long seed) {
        Random rnd = new Random(seed);
        List<Move> moves = randomMoves(rnd);
        PlanDefinition.Limits limits = new PlanDefinition.Limits(1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2), 1 + rnd.nextInt(4));
        PlanDefinition.OnFailure policy = PlanDefinition.OnFailure.values()[rnd.nextInt(3)];
        boolean window = rnd.nextBoolean();
        Instant wStart = window ? T0.plusSeconds(rnd.nextInt(30)) : null;
        Instant wEnd = window ? wStart.plusSeconds(60 + rnd.nextInt(400)) : null;
        double failRate = rnd.nextDouble() * 0.3;
        PlanScheduler s = new PlanScheduler(moves, limits, wStart, wEnd, policy);

        Map<Integer, Long> endsAt = new HashMap<>();
        Map<Integer, Long> transferEndsAt = new HashMap<>();
        Map<Integer, Boolean> willSucceed = new HashMap<>();
        Map<Integer, Instant> startedAt = new HashMap<>();
        long now = 0;
        boolean failed = false;
        boolean pausedOnce = false;
        for (int step = 0; step < 10_000 && !s.done(); step++) {
            Instant clock = T0.plusMillis(now);
            if (!pausedOnce && rnd.nextInt(20) == 0) {
                s.pause();
                pausedOnce = true;
                assertThat(s.next(clock).starts()).as("a paused plan starts nothing").isEmpty();
                s.resume();
            }
            PlanScheduler.Decision d = s.next(clock);
            for (PlanScheduler.Start st : d.starts()) {
                Move m = moves.get(st.seq());
                if (!st.rollback()) {
                    assertThat(failed && policy != PlanDefinition.OnFailure.CONTINUE).as("forward start after a failure under " + policy).isFalse();
                    if (wStart != null) {
                        assertThat(clock).as("start before the window").isAfterOrEqualTo(wStart);
                        assertThat(clock.plusMillis(m.predictedMs())).as("predicted end after the window").isBeforeOrEqualTo(wEnd);
                    }
                    for (Move earlier : moves) {
                        if (earlier.wave() < m.wave()) assertThat(s.state(earlier.seq()).isFinal()).as("wave order").isTrue();
                    }
                    for (String dep : m.dependsOn()) {
                        assertThat(s.state(seqOf(moves, dep))).as("dependency " + dep + " of " + m.vm()).isEqualTo(State.SUCCEEDED);
                    }
                } else {
                    assertThat(policy).isEqualTo(PlanDefinition.OnFailure.ROLLBACK);
                }
                startedAt.put(st.seq(), clock);
                long end = now + 1000 + rnd.nextInt(60_000);
                endsAt.put(st.seq(), end);
                if (rnd.nextBoolean()) transferEndsAt.put(st.seq(), now + (end - now) * rnd.nextInt(100) / 100);
                willSucceed.put(st.seq(), rnd.nextDouble() >= failRate);
            }
            assertWithinLimits(s, moves, limits);
            if (endsAt.isEmpty()) {
                if (s.done()) break;
                // Nothing runs: only the window's opening can be awaited.
                String st = moves.stream().map(m -> m.vm() + "/w" + m.wave() + "/" + s.state(m.seq()) + m.dependsOn()).toList() + " " + policy + " " + limits;
                assertThat(wStart).as("stalled with nothing running at " + clock + st).isNotNull();
                assertThat(clock).as(st).isBefore(wStart);
                now = wStart.toEpochMilli() - T0.toEpochMilli();
                continue;
            }
            var transferOver = transferEndsAt.entrySet().stream().min(Map.Entry.comparingByValue());
            int next = endsAt.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (transferOver.isPresent() && transferOver.get().getValue() <= endsAt.get(next)) {
                int seq = transferOver.get().getKey();
                now = transferEndsAt.remove(seq);
                s.transferEnded(seq);
                assertThat(s.inTransfer(seq)).isFalse();
                assertThat(s.done()).as("a move past its transfer still runs").isFalse();
                continue;
            }
            transferEndsAt.remove(next);
            now = endsAt.remove(next);
            boolean ok = willSucceed.remove(next);
            boolean wasForward = s.state(next) == State.RUNNING;
            s.finished(next, ok, ok ? null : "boom");
            if (wasForward && !ok) failed = true;
        }
        assertThat(s.done()).as("the plan ends").isTrue();
        for (Move m : moves) {
            State st = s.state(m.seq());
            assertThat(st.isFinal()).isTrue();
            if (policy == PlanDefinition.OnFailure.ROLLBACK && failed) assertThat(st).isNotEqualTo(State.SUCCEEDED);
        }
        if (!failed && wStart == null) assertThat(s.outcome()).isIn("succeeded", "failed");
    }

    private static void assertWithinLimits(PlanScheduler s, List<Move> moves, PlanDefinition.Limits limits) {
        Map<String, Integer> bySource = new HashMap<>();
        Map<String, Integer> byDest = new HashMap<>();
        Map<String, Integer> byLink = new HashMap<>();
        int total = 0;
        for (Move m : moves) {
            if (!s.inTransfer(m.seq())) continue;
            String[] e = s.ends(m.seq());
            total++;
            bySource.merge(e[0], 1, Integer::sum);
            byDest.merge(e[1], 1, Integer::sum);
            byLink.merge(e[0].compareTo(e[1]) < 0 ? e[0] + "|" + e[1] : e[1] + "|" + e[0], 1, Integer::sum);
        }
        assertThat(total).isLessThanOrEqualTo(limits.perCluster());
        assertThat(bySource.values()).allMatch(n -> n <= limits.perSource());
        assertThat(byDest.values()).allMatch(n -> n <= limits.perDestination());
        assertThat(byLink.values()).allMatch(n -> n <= limits.perLink());
    }

    private static List<Move> randomMoves(Random rnd) {
        int n = 1 + rnd.nextInt(15);
        int waves = 1 + rnd.nextInt(3);
        List<Move> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int wave = 1 + Math.min(waves - 1, i * waves / n);
            String src = HOSTS.get(rnd.nextInt(HOSTS.size()));
            String dst;
            do {
                dst = HOSTS.get(rnd.nextInt(HOSTS.size()));
            } while (dst.equals(src));
            List<String> deps = new ArrayList<>();
            if (i > 0 && rnd.nextInt(4) == 0) deps.add("vm" + rnd.nextInt(i)); // an earlier VM: same or earlier wave, no cycle
            long transfer = 500 + rnd.nextInt(20_000);
            List<Long> sharing = new ArrayList<>(); // sometimes the predictor's shares, with some not converging
            if (rnd.nextBoolean()) {
                for (int k = 1; k <= 4; k++) sharing.add(k > 1 && rnd.nextInt(4) == 0 ? -1L : transfer * k * (10 + rnd.nextInt(10)) / 10);
                sharing.set(0, transfer);
            }
            out.add(new Move(i, "vm" + i, src, dst, wave, deps, transfer + rnd.nextInt(10_000), sharing));
        }
        return out;
    }

    private static int seqOf(List<Move> moves, String vm) {
        return moves.stream().filter(m -> m.vm().equals(vm)).findFirst().orElseThrow().seq();
    }
}

package dev.ferry.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controller.plan.PlanScheduler.Move;
import dev.ferry.controller.plan.PlanScheduler.Start;
import dev.ferry.controller.plan.PlanScheduler.State;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's link rules on small hand-made plans: a move past its transfer frees its slots
 * but still counts for the plan's end, and a second move on a link waits when the fair share would
 * not let every move converge or would end them later than one after the other.
 */
class PlanSchedulerTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aMovePastItsTransferFreesItsSlotsButStillCountsForThePlansEnd() {
        PlanScheduler s = new PlanScheduler(List.of(move(0, "h2", 6000, List.of()), move(1, "h3", 6000, List.of())),
                new PlanDefinition.Limits(1, 1, 1, 1), null, null, PlanDefinition.OnFailure.STOP);
        assertThat(started(s)).containsExactly(0);
        assertThat(started(s)).as("the source's only slot is taken").isEmpty();
        s.transferEnded(0);
        assertThat(s.inTransfer(0)).isFalse();
        assertThat(s.state(0)).isEqualTo(State.RUNNING);
        assertThat(started(s)).as("the slot is free once move 0 monitors").containsExactly(1);
        s.finished(1, true, null);
        assertThat(s.done()).as("move 0 still runs").isFalse();
        s.finished(0, false, "monitor: guest unhealthy");
        assertThat(s.done()).isTrue();
        assertThat(s.outcome()).isEqualTo("failed");
        assertThat(s.firstFailure()).contains("vm0");
    }

    @Test
    void aSecondMoveWaitsWhenItsShareWouldNotLetAMoveConverge() {
        PlanScheduler s = twoOnOneLink(List.of(10_000L, -1L), List.of(10_000L, -1L));
        assertThat(started(s)).containsExactly(0);
        assertThat(started(s)).isEmpty();
        s.transferEnded(0);
        assertThat(started(s)).containsExactly(1);
    }

    @Test
    void aSecondMoveWaitsWhenSharingWouldEndLaterThanOneAfterTheOther() {
        // 100 Mbit/s, 130 MiB guests dirtying 4 MiB/s: 17.8 s alone, 79 s at half the link.
        PlanScheduler s = twoOnOneLink(List.of(17_800L, 79_000L), List.of(17_800L, 79_000L));
        assertThat(started(s)).containsExactly(0);
        assertThat(s.sharing(0)).isEqualTo(1);
        s.transferEnded(0);
        assertThat(started(s)).containsExactly(1);
    }

    @Test
    void movesShareALinkWhenTheOverlapOfTheirSetUpPaysForIt() {
        // 1 Gbit/s, 128 MiB guests: 1.1 s alone, 2.3 s at half the link, 5 s of set-up each.
        PlanScheduler s = twoOnOneLink(List.of(1_100L, 2_300L), List.of(1_100L, 2_300L));
        assertThat(started(s)).containsExactly(0, 1);
        assertThat(s.sharing(0)).isEqualTo(2);
    }

    @Test
    void movesWithoutSharedPredictionsAreNotHeldBack() {
        PlanScheduler s = twoOnOneLink(List.of(), List.of());
        assertThat(started(s)).containsExactly(0, 1);
    }

    private static PlanScheduler twoOnOneLink(List<Long> a, List<Long> b) {
        long setup = MovePredictor.LIVE_SETUP_MS;
        List<Move> moves = List.of(move(0, "h2", setup + (a.isEmpty() ? 1000 : a.get(0)), a),
                move(1, "h2", setup + (b.isEmpty() ? 1000 : b.get(0)), b));
        return new PlanScheduler(moves, new PlanDefinition.Limits(4, 4, 4, 4), null, null, PlanDefinition.OnFailure.STOP);
    }

    private static Move move(int seq, String to, long predictedMs, List<Long> sharing) {
        return new Move(seq, "vm" + seq, "h1", to, 1, List.of(), predictedMs, sharing);
    }

    private static List<Integer> started(PlanScheduler s) {
        return s.next(T0).starts().stream().map(Start::seq).toList();
    }
}

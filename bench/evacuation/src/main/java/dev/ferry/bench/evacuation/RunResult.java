package dev.ferry.bench.evacuation;

import java.util.List;

/**
 * One way of emptying host-a, measured: {@code evacuation} (one call, the plan runs the moves within
 * its limits) or {@code serial} (one {@code ferry migration start} after another). The wall time is
 * the bench's own clock from the first request to the last move's end, so both are timed alike.
 *
 * @param requestMs how long the first request took to answer (for the evacuation: assessing every guest,
 *                  validating and starting the plan)
 * @param wireBytes bytes host-a's migration link sent during the run (TLS and Ferry's probes included)
 * @param planId    the evacuation's plan, null for the serial run
 * @param maxConcurrent the most moves that ran at once (from the moves' start and end times)
 */
public record RunResult(String kind, String state, long wallMs, long requestMs, long wireBytes, String planId, Long predictedWallMs,
                        List<Move> moves, int maxConcurrent) {
    public RunResult {
        moves = List.copyOf(moves);
    }

    public boolean succeeded() { return "succeeded".equals(state) && moves.stream().allMatch(Move::succeeded); }

    /** The most moves that overlap in time. */
    public static int maxConcurrent(List<Move> moves) {
        int best = 0;
        for (Move m : moves) {
            long at = m.startMs();
            int n = (int) moves.stream().filter(o -> o.startMs() <= at && o.endMs() > at).count();
            best = Math.max(best, n);
        }
        return best;
    }
}

package dev.ferry.controller.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The decisions of a running plan, as pure code: which moves start now, which are skipped and why,
 * given the waves, the dependencies, the concurrency limits, the maintenance window and the
 * on-failure policy. It knows nothing of migrations or clocks: the {@link PlanRunner} (and the ETA
 * {@link PlanSimulation}) call {@link #next} with the time, report when a move's transfer is over
 * with {@link #transferEnded} and each move's end with {@link #finished}. Every limit (per source,
 * destination, link and cluster) counts only moves in transfer: a move past its switchover (verify,
 * monitor, retiring the source) still runs for the plan's completion and outcome but holds no slot.
 * A second (third...) move on a link or host interface starts only when the fair share lets every
 * move on it converge and ends them no later than one after the other would ({@link #worthSharing}). Rules: a wave starts once every move of the earlier waves has ended; a move
 * waits for its dependencies and is skipped when one of them did not succeed; no start exceeds a
 * limit per source, destination, link (unordered host pair) or cluster; no forward move starts
 * before the window opens or when its predicted end (slowed by the moves already sharing its link)
 * falls after the window closes; after a failure, {@code stop} and {@code rollback} start nothing
 * new and {@code rollback} then moves every moved VM back. Not thread-safe.
 */
public final class PlanScheduler {
    /** An item's state; the last five are final. */
    public enum State {
        PENDING, RUNNING, ROLLING_BACK, SUCCEEDED, FAILED, SKIPPED, ABORTED, ROLLED_BACK;

        public boolean isFinal() { return ordinal() >= SUCCEEDED.ordinal(); }

        public String label() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }

        public static State of(String label) { return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_')); }
    }

    /**
     * One move as the scheduler sees it; {@code predictedMs} is its job's duration alone on its link;
     * {@code transferMsBySharing.get(k - 1)} its predicted transfer time when k moves share the link
     * fairly, negative when it is predicted not to converge (empty: not known, no link-aware rule).
     */
    public record Move(int seq, String vm, String source, String destination, int wave, List<String> dependsOn, long predictedMs,
                       List<Long> transferMsBySharing) {
        public Move {
            dependsOn = List.copyOf(dependsOn);
            transferMsBySharing = transferMsBySharing == null ? List.of() : List.copyOf(transferMsBySharing);
        }

        public Move(int seq, String vm, String source, String destination, int wave, List<String> dependsOn, long predictedMs) {
            this(seq, vm, source, destination, wave, dependsOn, predictedMs, List.of());
        }
    }

    /** Start {@code seq}: forward, or (rollback) from its destination back to its source. */
    public record Start(int seq, boolean rollback) {}

    public record Skip(int seq, String reason) {}

    public record Decision(List<Start> starts, List<Skip> skips) {
        public boolean isEmpty() { return starts.isEmpty() && skips.isEmpty(); }
    }

    private final Map<Integer, Move> moves = new LinkedHashMap<>();
    private final Map<String, Integer> seqOfVm = new HashMap<>();
    private final Map<Integer, State> states = new HashMap<>();
    private final java.util.Set<Integer> pastTransfer = new java.util.HashSet<>();
    private final PlanDefinition.Limits limits;
    private final Instant windowStart;
    private final Instant windowEnd;
    private final PlanDefinition.OnFailure policy;
    private String firstFailure;
    private boolean paused;
    private boolean aborted;

    public PlanScheduler(List<Move> moves, PlanDefinition.Limits limits, Instant windowStart, Instant windowEnd,
                         PlanDefinition.OnFailure policy) {
        for (Move m : moves) {
            this.moves.put(m.seq(), m);
            seqOfVm.put(m.vm(), m.seq());
            states.put(m.seq(), State.PENDING);
        }
        this.limits = limits;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.policy = policy;
    }

    /** Restores an item's state (a resumed plan); a failure restored this way counts for the policy. */
    public void restore(int seq, State state, String error) {
        states.put(seq, state);
        if (state == State.FAILED && firstFailure == null) firstFailure = moves.get(seq).vm() + (error == null ? "" : ": " + error);
    }

    public State state(int seq) { return states.get(seq); }

    public void pause() { paused = true; }

    public void resume() { paused = false; }

    public boolean paused() { return paused; }

    /** Starts nothing more; the caller aborts what runs. */
    public void abort() { aborted = true; }

    public boolean aborted() { return aborted; }

    /** A started move's transfer is over (it verifies, monitors, retires its source): it frees its slots. */
    public void transferEnded(int seq) {
        State s = states.get(seq);
        if (s == State.RUNNING || s == State.ROLLING_BACK) pastTransfer.add(seq);
    }

    /** True while a started move has not yet reported the end of its transfer. */
    public boolean inTransfer(int seq) {
        State s = states.get(seq);
        return (s == State.RUNNING || s == State.ROLLING_BACK) && !pastTransfer.contains(seq);
    }

    /** Ends a started move (forward or rollback). */
    public void finished(int seq, boolean succeeded, String error) {
        pastTransfer.remove(seq);
        State s = states.get(seq);
        if (s == State.ROLLING_BACK) {
            states.put(seq, succeeded ? State.ROLLED_BACK : State.FAILED);
            return;
        }
        if (s != State.RUNNING) throw new IllegalStateException("move " + seq + " is not running but " + s);
        if (succeeded) {
            states.put(seq, State.SUCCEEDED);
        } else {
            states.put(seq, aborted ? State.ABORTED : State.FAILED);
            if (!aborted && firstFailure == null) firstFailure = moves.get(seq).vm() + (error == null ? "" : ": " + error);
        }
    }

    /** True when every item is in a final state. */
    public boolean done() {
        return states.values().stream().allMatch(State::isFinal) && rollbackQueue().isEmpty();
    }

    /** What to do now. Starting is recorded at once: the moves returned are RUNNING (or ROLLING_BACK). */
    public Decision next(Instant now) {
        List<Skip> skips = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        boolean stopping = aborted || (firstFailure != null && policy != PlanDefinition.OnFailure.CONTINUE);
        if (stopping) {
            String why = aborted ? "not started: the plan was aborted"
                    : "not started: the plan " + (policy == PlanDefinition.OnFailure.ROLLBACK ? "rolls back" : "stops")
                    + " after the failure of " + firstFailure;
            for (Move m : moves.values()) if (states.get(m.seq()) == State.PENDING) skip(m, why, skips);
            if (!aborted && !paused && policy == PlanDefinition.OnFailure.ROLLBACK && noneForwardRunning()) {
                for (Move m : rollbackQueue()) {
                    if (fits(m.destination(), m.source())) {
                        states.put(m.seq(), State.ROLLING_BACK);
                        starts.add(new Start(m.seq(), true));
                    }
                }
            }
            return new Decision(starts, skips);
        }
        // A wave whose last items are skipped here ends here, and the next one may start at once.
        int wave = currentWave();
        while (!paused && wave >= 0 && (windowStart == null || !now.isBefore(windowStart))) {
            startWave(wave, now, starts, skips);
            int after = currentWave();
            if (after == wave) break;
            wave = after;
        }
        return new Decision(starts, skips);
    }

    private void startWave(int wave, Instant now, List<Start> starts, List<Skip> skips) {
        for (Move m : moves.values()) {
            if (m.wave() != wave || states.get(m.seq()) != State.PENDING) continue;
            String blockedBy = failedDependency(m);
            if (blockedBy != null) {
                skip(m, "not started: it depends on " + blockedBy + ", which did not succeed", skips);
                continue;
            }
            if (!dependenciesSucceeded(m) || !fits(m.source(), m.destination()) || !worthSharing(m)) continue;
            long expectedMs = m.predictedMs() * (onLink(m.source(), m.destination()) + 1);
            if (windowEnd != null && now.plusMillis(expectedMs).isAfter(windowEnd)) {
                skip(m, "not started: its predicted end (" + now.plusMillis(expectedMs) + ") falls after the window's end (" + windowEnd + ")",
                        skips);
                continue;
            }
            states.put(m.seq(), State.RUNNING);
            starts.add(new Start(m.seq(), false));
        }
    }

    /**
     * How many moves in transfer contend with {@code seq} for bandwidth (itself included; at least
     * 1): those on its link (host pair) and those with the same sender or the same receiver, since a
     * host's network interface is taken to be its one way to every other host (so an evacuation's
     * moves to different destinations share the source's interface).
     */
    public int sharing(int seq) {
        String[] e = ends(seq);
        return Math.max(1, contending(e[0], e[1]).size() + (inTransfer(seq) ? 0 : 1));
    }

    private List<Move> contending(String from, String to) {
        List<Move> out = new ArrayList<>();
        for (Integer seq : states.keySet()) {
            if (!inTransfer(seq)) continue;
            String[] e = ends(seq);
            if (sameLink(e[0], e[1], from, to) || e[0].equals(from) || e[1].equals(to)) out.add(moves.get(seq));
        }
        return out;
    }

    /**
     * The link-aware rule: {@code m} may join the k-1 moves in transfer it contends with (see
     * {@link #sharing}) when, at the fair
     * share 1/k, each of the k is predicted to converge and the slowest of them to end no later than
     * the k transfers one after the other plus {@code m}'s own set-up (what starting it now overlaps).
     * Moves without predictions (cold moves, rows of an older plan) are not held back.
     */
    boolean worthSharing(Move m) {
        List<Move> group = contending(m.source(), m.destination());
        if (group.isEmpty()) return true;
        group.add(m);
        int k = group.size();
        long serial = 0;
        long slowest = 0;
        for (Move g : group) {
            List<Long> t = g.transferMsBySharing();
            if (t.size() < k) return true;
            if (t.get(k - 1) < 0) return false;
            serial += Math.max(0, t.get(0));
            slowest = Math.max(slowest, t.get(k - 1));
        }
        long setup = m.transferMsBySharing().get(0) < 0 ? 0 : Math.max(0, m.predictedMs() - m.transferMsBySharing().get(0));
        return slowest <= serial + setup;
    }

    /** The final outcome once {@link #done()}: succeeded, aborted or failed. */
    public String outcome() {
        if (aborted) return "aborted";
        return states.values().stream().allMatch(s -> s == State.SUCCEEDED) ? "succeeded" : "failed";
    }

    /** The first failure, for the plan's error message; null when none. */
    public String firstFailure() { return firstFailure; }

    private void skip(Move m, String why, List<Skip> skips) {
        states.put(m.seq(), State.SKIPPED);
        skips.add(new Skip(m.seq(), why));
    }

    /** The lowest wave with an item that has not ended; -1 when every item has. */
    private int currentWave() {
        return moves.values().stream().filter(m -> !states.get(m.seq()).isFinal()).mapToInt(Move::wave).min().orElse(-1);
    }

    private String failedDependency(Move m) {
        for (String d : m.dependsOn()) {
            State s = states.get(seqOfVm.get(d));
            if (s.isFinal() && s != State.SUCCEEDED) return d;
        }
        return null;
    }

    private boolean dependenciesSucceeded(Move m) {
        return m.dependsOn().stream().allMatch(d -> states.get(seqOfVm.get(d)) == State.SUCCEEDED);
    }

    private boolean noneForwardRunning() { return states.values().stream().noneMatch(s -> s == State.RUNNING); }

    /** Moved VMs still to be moved back, the latest wave first. */
    private List<Move> rollbackQueue() {
        if (aborted || firstFailure == null || policy != PlanDefinition.OnFailure.ROLLBACK) return List.of();
        List<Move> q = new ArrayList<>(moves.values().stream().filter(m -> states.get(m.seq()) == State.SUCCEEDED).toList());
        q.sort((a, b) -> Integer.compare(b.wave(), a.wave()));
        return q;
    }

    /** A new move from {@code from} to {@code to} stays within every limit, counted over the moves in transfer. */
    private boolean fits(String from, String to) {
        int cluster = 0;
        int bySource = 0;
        int byDestination = 0;
        for (Map.Entry<Integer, State> e : states.entrySet()) {
            if (!inTransfer(e.getKey())) continue;
            String[] ends = ends(e.getKey());
            cluster++;
            if (ends[0].equals(from)) bySource++;
            if (ends[1].equals(to)) byDestination++;
        }
        return cluster < limits.perCluster() && bySource < limits.perSource() && byDestination < limits.perDestination()
                && onLink(from, to) < limits.perLink();
    }

    private int onLink(String a, String b) {
        int n = 0;
        for (Map.Entry<Integer, State> e : states.entrySet()) {
            if (!inTransfer(e.getKey())) continue;
            String[] ends = ends(e.getKey());
            if (sameLink(ends[0], ends[1], a, b)) n++;
        }
        return n;
    }

    /** Where a started move goes from and to: reversed while it rolls back. */
    public String[] ends(int seq) {
        Move m = moves.get(seq);
        return states.get(seq) == State.ROLLING_BACK ? new String[] {m.destination(), m.source()} : new String[] {m.source(), m.destination()};
    }

    static boolean sameLink(String a1, String b1, String a2, String b2) {
        return (Objects.equals(a1, a2) && Objects.equals(b1, b2)) || (Objects.equals(a1, b2) && Objects.equals(b1, a2));
    }
}

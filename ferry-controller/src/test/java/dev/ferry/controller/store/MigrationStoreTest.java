package dev.ferry.controller.store;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationStoreTest extends StoreContract {

    static MigrationRecord job(String id, String vm, Instant created) {
        return new MigrationRecord(id, vm, "alpha", "beta", "LIVE", "PENDING", null, "{\"bandwidth\":100}", null, null,
                null, null, false, created, created, null);
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void createReturnsWhatFindReads() {
        MigrationRecord created = db.migrations().create(job("m1", "web", T0));
        assertThat(created).isEqualTo(job("m1", "web", T0));
        assertThat(db.migrations().find("m1")).contains(created);
        assertThat(db.migrations().find("m2")).isEmpty();
    }

    @Test
    void createDefaultsTimesFromTheClockAndTruncatesToMilliseconds() {
        MigrationRecord noTimes = new MigrationRecord("m1", "web", "alpha", "beta", "LIVE", "PENDING", null, null, null,
                null, null, null, false, null, null, null);
        MigrationRecord a = db.migrations().create(noTimes);
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(a.updatedAt()).isEqualTo(T0);

        Instant precise = Instant.parse("2031-01-01T00:00:00.123999999Z");
        MigrationRecord b = db.migrations().create(job("m2", "db", precise));
        assertThat(b.createdAt()).isEqualTo(Instant.parse("2031-01-01T00:00:00.123Z"));
        assertThat(db.migrations().find("m2")).contains(b);
    }

    @Test
    void listIsNewestFirstAndLimited() {
        for (int i = 0; i < 5; i++) {
            db.migrations().create(job("m" + i, "vm" + i, T0.plusSeconds(i)));
        }
        assertThat(db.migrations().list(3)).extracting(MigrationRecord::id).containsExactly("m4", "m3", "m2");
        assertThat(db.migrations().list(100)).hasSize(5);
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.migrations().list(0));
    }

    @Test
    void unfinishedListsOpenJobsOldestFirst() {
        db.migrations().create(job("late", "a", T0.plusSeconds(10)));
        db.migrations().create(job("early", "b", T0));
        db.migrations().create(job("done", "c", T0.plusSeconds(5)));
        db.migrations().finish("done", "SUCCEEDED", "{}", null, null);
        assertThat(db.migrations().unfinished()).extracting(MigrationRecord::id).containsExactly("early", "late");
        assertThat(db.migrations().activeFor("a")).map(MigrationRecord::id).contains("late");
        assertThat(db.migrations().activeFor("c")).isEmpty();
    }

    @Test
    void updatePhaseAndStatsBumpUpdatedAt() {
        db.migrations().create(job("m1", "web", T0));
        clock.advance(Duration.ofSeconds(2));
        db.migrations().updatePhase("m1", "RUNNING", "transfer");
        clock.advance(Duration.ofSeconds(3));
        db.migrations().updateStats("m1", "{\"remaining\":42}");

        MigrationRecord m = db.migrations().find("m1").orElseThrow();
        assertThat(m.state()).isEqualTo("RUNNING");
        assertThat(m.phase()).isEqualTo("transfer");
        assertThat(m.statsJson()).isEqualTo("{\"remaining\":42}");
        assertThat(m.createdAt()).isEqualTo(T0);
        assertThat(m.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(m.finishedAt()).isNull();
    }

    @Test
    void finishSetsOutcomeOnceAndKeepsAbortFlag() {
        db.migrations().create(job("m1", "web", T0));
        assertThat(db.migrations().requestAbort("m1")).isTrue();
        clock.advance(Duration.ofSeconds(7));
        db.migrations().finish("m1", "ABORTED", "{\"ok\":false}", "MIGRATION_ABORTED", "aborted by operator");

        MigrationRecord m = db.migrations().find("m1").orElseThrow();
        assertThat(m.state()).isEqualTo("ABORTED");
        assertThat(m.resultJson()).isEqualTo("{\"ok\":false}");
        assertThat(m.errorCode()).isEqualTo("MIGRATION_ABORTED");
        assertThat(m.errorMessage()).isEqualTo("aborted by operator");
        assertThat(m.abortRequested()).isTrue();
        assertThat(m.finishedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(m.finished()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        db.migrations().finish("m1", "FAILED", null, "INTERNAL", "late");
        m = db.migrations().find("m1").orElseThrow();
        assertThat(m.finishedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(m.updatedAt()).isEqualTo(T0.plusSeconds(8));
    }

    @Test
    void requestAbortFlagsOnlyUnfinishedJobs() {
        db.migrations().create(job("open", "a", T0));
        db.migrations().create(job("done", "b", T0));
        db.migrations().finish("done", "SUCCEEDED", null, null, null);
        assertThat(db.migrations().requestAbort("open")).isTrue();
        assertThat(db.migrations().requestAbort("open")).isTrue();
        assertThat(db.migrations().requestAbort("done")).isFalse();
        assertThat(db.migrations().find("open").orElseThrow().abortRequested()).isTrue();
        assertThat(db.migrations().find("done").orElseThrow().abortRequested()).isFalse();
    }

    @Test
    void eventsComeBackInTheOrderTheyWereAdded() {
        db.migrations().create(job("m1", "a", T0));
        db.migrations().create(job("m2", "b", T0));
        for (int i = 0; i < 20; i++) {
            db.migrations().addEvent(i % 2 == 0 ? "m1" : "m2", "phase", "step " + i, i == 0 ? null : "{\"i\":" + i + "}");
            if (i % 5 == 0) clock.advance(Duration.ofMillis(1)); // most events share a millisecond
        }
        List<MigrationEventRecord> events = db.migrations().events("m1");
        assertThat(events).extracting(MigrationEventRecord::message)
                .containsExactly("step 0", "step 2", "step 4", "step 6", "step 8", "step 10", "step 12", "step 14",
                        "step 16", "step 18");
        assertThat(events).extracting(MigrationEventRecord::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.migrationId()).isEqualTo("m1"));
        assertThat(events.get(0).dataJson()).isNull();
        assertThat(events.get(0).at()).isEqualTo(T0);
        assertThat(events.get(1).dataJson()).isEqualTo("{\"i\":2}");
        assertThat(db.migrations().events("m2")).hasSize(10);
    }

    @Test
    void unknownIdsAreMigrationNotFound() {
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().updatePhase("x", "RUNNING", "p"));
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().updateStats("x", "{}"));
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().finish("x", "FAILED", null, null, null));
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().requestAbort("x"));
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().addEvent("x", "k", "m", null));
        assertFerry(ErrorCode.MIGRATION_NOT_FOUND, () -> db.migrations().events("x"));
    }

    @Test
    void secondUnfinishedJobForAVmIsVmBusyUntilTheFirstFinishes() {
        db.migrations().create(job("first", "web", T0));
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(FerryException.class,
                () -> db.migrations().create(job("second", "web", T0))))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VM_BUSY);
                    assertThat(e.getMessage()).isEqualTo("VM 'web' is already being migrated by job first");
                });
        db.migrations().create(job("other-vm", "db", T0)); // other VMs are unaffected

        db.migrations().finish("first", "SUCCEEDED", null, null, null);
        db.migrations().create(job("second", "web", T0.plusSeconds(1)));
        assertThat(db.migrations().activeFor("web")).map(MigrationRecord::id).contains("second");
    }

    @Test
    void reusedIdIsInvalidArgument() {
        db.migrations().create(job("m1", "web", T0));
        db.migrations().finish("m1", "SUCCEEDED", null, null, null);
        assertFerry(ErrorCode.INVALID_ARGUMENT, () -> db.migrations().create(job("m1", "db", T0)));
    }

    /**
     * Two controllers (two Database instances on one database) and several threads each try to
     * start a migration of the same VM at the same moment: the database lets exactly one win.
     */
    @Test
    void racingCreatesForOneVmHaveExactlyOneWinner() throws Exception {
        int threads = 6;
        try (Database second = Database.open(config, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 15; round++) {
                    String vm = "vm-" + round;
                    CyclicBarrier start = new CyclicBarrier(threads);
                    List<Future<String>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        MigrationStore store = (t % 2 == 0 ? db : second).migrations();
                        String id = id();
                        results.add(pool.submit(() -> {
                            start.await(10, TimeUnit.SECONDS);
                            try {
                                return "won:" + store.create(job(id, vm, T0)).id();
                            } catch (FerryException e) {
                                return e.code() + ":" + e.getMessage();
                            }
                        }));
                    }
                    List<String> outcomes = new ArrayList<>();
                    for (Future<String> f : results) outcomes.add(f.get(60, TimeUnit.SECONDS));
                    List<String> winners = outcomes.stream().filter(o -> o.startsWith("won:")).toList();
                    assertThat(winners).as("round %d: %s", round, outcomes).hasSize(1);
                    String winner = winners.get(0).substring(4);
                    assertThat(outcomes).filteredOn(o -> !o.startsWith("won:")).hasSize(threads - 1)
                            .allMatch(o -> o.equals("VM_BUSY:VM '" + vm + "' is already being migrated by job " + winner));
                    assertThat(db.migrations().activeFor(vm)).map(MigrationRecord::id).contains(winner);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(db.migrations().unfinished()).hasSize(15);
    }

    /** Concurrent writers wait for each other instead of failing (SQLite: no SQLITE_BUSY). */
    @Test
    void concurrentWritersAllSucceed() throws Exception {
        db.migrations().create(job("m1", "web", T0));
        int threads = 8;
        int perThread = 25;
        try (Database second = Database.open(config, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MigrationStore store = (t % 2 == 0 ? db : second).migrations();
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            store.addEvent("m1", "tick", thread + "/" + i, null);
                            store.updateStats("m1", "{\"t\":" + thread + "}");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
        List<MigrationEventRecord> events = db.migrations().events("m1");
        assertThat(events).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = t + "/";
            // each writer's events keep that writer's order
            assertThat(events.stream().map(MigrationEventRecord::message).filter(m -> m.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perThread)
                            .mapToObj(i -> prefix + i).toList());
        }
    }
}

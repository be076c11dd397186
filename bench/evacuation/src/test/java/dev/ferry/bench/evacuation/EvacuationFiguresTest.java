package dev.ferry.bench.evacuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvacuationFiguresTest {
    private static final long MIB = 1 << 20;

    private static Move move(String vm, String to, long start, long end) {
        return new Move(vm, "host-a", to, "succeeded", start, end, end - start, 100L, 60 * MIB, 4000L, 150L, 64 * MIB, "self-checks OK on " + to);
    }

    private static RunResult run(String kind, long wallMs, List<Move> moves) {
        return new RunResult(kind, "succeeded", wallMs, 1500, 300 * MIB, kind.equals("evacuation") ? "p-1" : null, null, moves,
                RunResult.maxConcurrent(moves));
    }

    @Test
    void theLowerBoundIsTheNonZeroMemoryOverTheGoodput() {
        assertThat(LinkResult.lowerBoundMs(200 * MIB, 100 * MIB)).isEqualTo(2000.0);
        assertThatThrownBy(() -> LinkResult.lowerBoundMs(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTargetIsMetUpToOnePointTwoTimesTheLowerBound() {
        LinkResult base = new LinkResult("1gbit", 100 * MIB, 200 * MIB, 200 * MIB, null, null);
        assertThat(Target.verdict(base.withEvacuation(run("evacuation", 2400, List.of(move("e1", "host-b", 0, 2400))))))
                .isEqualTo("MET (1.20x the lower bound)");
        assertThat(Target.verdict(base.withEvacuation(run("evacuation", 2500, List.of(move("e1", "host-b", 0, 2500))))))
                .isEqualTo("MISSED (1.25x the lower bound)");
        Move bad = new Move("e2", "host-a", "host-c", "failed", 0, 900, null, null, null, 4000L, 150L, null, "self-checks OK on host-a");
        RunResult failed = new RunResult("evacuation", "failed", 900, 800, 0, "p-1", null, List.of(move("e1", "host-b", 0, 800), bad), 2);
        assertThat(Target.verdict(base.withEvacuation(failed))).isEqualTo("MISSED (the evacuation failed: 1 of 2 moves did not succeed)");
        assertThat(Target.verdict(base)).startsWith("NOT MEASURED");
    }

    @Test
    void concurrencyIsTheMostMovesThatOverlap() {
        assertThat(RunResult.maxConcurrent(List.of(move("a", "b", 0, 100), move("b", "c", 50, 150), move("c", "b", 120, 200)))).isEqualTo(2);
        assertThat(RunResult.maxConcurrent(List.of(move("a", "b", 0, 100), move("b", "c", 100, 150)))).isEqualTo(1);
        assertThat(RunResult.maxConcurrent(List.of())).isZero();
    }

    @Test
    void theSerialRunRepeatsThePlansDestinationsInOrder() {
        RunResult evac = run("evacuation", 3000, List.of(move("e1", "host-c", 0, 3000), move("e2", "host-b", 0, 2000)));
        assertThat(EvacuationRun.destinations(evac)).containsExactly(Map.entry("e1", "host-c"), Map.entry("e2", "host-b"));
        assertThat(EvacuationRun.isEnded("rolled-back")).isTrue();
        assertThat(EvacuationRun.isEnded("running")).isFalse();
    }

    @Test
    void theReportStatesTheVerdictAndSetsPredictionBesideMeasurement() {
        LinkResult r = new LinkResult("1gbit", 100 * MIB, 200 * MIB, 210 * MIB, null, null)
                .withEvacuation(run("evacuation", 3000, List.of(move("e1", "host-c", 0, 3000), move("e2", "host-b", 100, 2900))))
                .withSerial(210 * MIB, run("serial", 6000, List.of(move("s1", "host-c", 0, 3000), move("s2", "host-b", 3000, 6000))));
        BenchRun b = new BenchRun("2026-12-04", "2 cores", "QEMU 10.0.2", "1.0", "1.5", 2, 128, 4, List.of(r));
        String md = Report.markdown(b);
        assertThat(md).contains("| lower bound (200.0 MiB non-zero) | - | 2.0 s | 1.00 | - |",
                "| evacuation | succeeded | 3.0 s | 1.50 | 1.5 s | 2 | 120.0 MiB | 300.0 MiB |",
                "| serial | succeeded | 6.0 s | 2.86 | 1.5 s | 1 |",
                "**MISSED (1.50x the lower bound)**; the serial run took 2.00x the evacuation's time",
                "| e1 | host-a -> host-c | succeeded | 3000 ms | 4000 ms | 3000 ms | 150 ms | 100 ms | 64.0 MiB | 60.0 MiB | self-checks OK on host-c |");
    }

    @Test
    void settingsRefuseWhatTheBenchCannotRun() {
        assertThatThrownBy(() -> EvacSettings.fromEnv(Map.of("LINKS", "10gbit"), java.nio.file.Path.of("/r/bench/evacuation")))
                .hasMessageContaining("LINKS");
        assertThatThrownBy(() -> EvacSettings.fromEnv(Map.of("VMS", "0"), java.nio.file.Path.of("/r/bench/evacuation")))
                .hasMessageContaining("VMS");
        EvacSettings s = EvacSettings.fromEnv(Map.of(), java.nio.file.Path.of("/r/bench/evacuation"));
        assertThat(s.liveBenchDir()).isEqualTo(java.nio.file.Path.of("/r/bench/live-migration"));
        assertThat(s.cmdline()).contains("ferry.mem=48", "ferry.rate=4");
        assertThat(s.links()).containsExactly("1gbit");
        assertThat(s.cmdline()).doesNotContain("memwss");
        EvacSettings large = EvacSettings.fromEnv(Map.of("GUEST_MIB", "512", "BUFFER_MIB", "384", "WSS_MIB", "16"),
                java.nio.file.Path.of("/r/bench/evacuation"));
        assertThat(large.cmdline()).contains("ferry.mem=384", "ferry.memwss=16");
        assertThat(large.guestMib()).isEqualTo(512);
        assertThatThrownBy(() -> EvacSettings.fromEnv(Map.of("BUFFER_MIB", "100"), java.nio.file.Path.of("/r/bench/evacuation")))
                .hasMessageContaining("BUFFER_MIB");
        assertThatThrownBy(() -> EvacSettings.fromEnv(Map.of("WSS_MIB", "49"), java.nio.file.Path.of("/r/bench/evacuation")))
                .hasMessageContaining("WSS_MIB");
    }

    @Test
    void theSerialMovesAskWhatTheCliAsksByDefault() {
        dev.ferry.api.migration.MigrationRequest r = SerialRun.request("s1", "host-c");
        assertThat(r.mode()).isEqualTo(dev.ferry.api.migration.MigrationRequest.LIVE);
        assertThat(r.to()).isEqualTo("host-c");
        assertThat(r.maxDowntimeMs()).isNull();
        assertThat(r.bandwidthMiBps()).isNull();
    }
}

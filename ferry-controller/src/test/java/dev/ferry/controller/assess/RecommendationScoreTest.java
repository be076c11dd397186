package dev.ferry.controller.assess;

import static dev.ferry.controller.assess.Hosts.host;
import static dev.ferry.controller.assess.Hosts.input;
import static dev.ferry.controller.assess.Hosts.vm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.assess.Assessment;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.LinkMeasurement;
import dev.ferry.api.spec.VmSpec;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ranking of destinations: room left, headroom, no copy, a measured link; blocked hosts last with score 0. */
class RecommendationScoreTest {
    private static final Map<String, LinkMeasurement> LINKS = Map.of("host-c", new LinkMeasurement("host-a", "host-c", 900, 0.2, 0,
            Instant.parse("2026-12-04T21:00:00Z")));
    private static final RecommendationScore SCORE = new RecommendationScore((from, to) -> Optional.ofNullable(LINKS.get(to)));

    private static Recommendation score(VmSpec spec, HostInfo dst, List<VmSpec> there) {
        AssessmentInput in = input(spec, host("host-a", "tcg"), dst, "live", CapacityLedger.empty(), there);
        Map<String, Long> copies = new HashMap<>();
        var findings = Assessor.run(in, CapacityPolicy.defaults().limitsOf(dst.name()), copies);
        return SCORE.score(new Assessor.Evaluation(new Assessment("web1", "host-a", dst.name(), Instant.EPOCH, findings), in, copies));
    }

    @Test
    void moreRoomAndAMeasuredLinkRankHigherAndBlockedHostsLast() {
        VmSpec spec = vm("qemu64");
        Recommendation busy = score(spec, host("host-b", "tcg"), List.of(vm("qemu64"), vm("qemu64"), vm("qemu64")));
        Recommendation idleMeasured = score(spec, host("host-c", "tcg"), List.of());
        Recommendation kvm = score(spec, host("host-d", "kvm"), List.of());
        List<Recommendation> ranked = new java.util.ArrayList<>(List.of(kvm, busy, idleMeasured));
        ranked.sort(Comparator.comparingDouble(Recommendation::score).reversed());
        assertThat(ranked).extracting(Recommendation::host).containsExactly("host-c", "host-b", "host-d");
        assertThat(kvm.score()).isZero();
        assertThat(kvm.reasons()).anyMatch(r -> r.startsWith("ACCELERATOR_MISMATCH: "));
        assertThat(busy.score()).isGreaterThan(0);
        assertThat(idleMeasured.reasons()).anyMatch(r -> r.contains("link host-a -> host-c measured 900 MiB/s"))
                .anyMatch(r -> r.contains("no disk copy needed"));
        assertThat(busy.reasons()).anyMatch(r -> r.contains("not measured (ferry host probe)"));
    }

    @Test
    void aDiskToCopyCostsTheNoCopyBonus() {
        VmSpec local = vm("qemu64", "q35", 1024, 2, List.of(Hosts.disk("root", "/srv/local/web1.img")), List.of());
        VmSpec shared = vm("qemu64");
        // Live copies go to the destination pool with the most free space (StoragePlanner): "shared" here.
        Recommendation copy = score(local, host("host-b", "tcg"), List.of());
        Recommendation none = score(shared, host("host-b", "tcg"), List.of());
        assertThat(none.score() - copy.score()).isCloseTo(15.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(copy.reasons()).anyMatch(r -> r.contains("MiB of disks to copy into [shared]"));
    }
}

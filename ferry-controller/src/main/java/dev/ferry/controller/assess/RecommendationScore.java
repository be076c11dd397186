package dev.ferry.controller.assess;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.host.LinkMeasurement;
import dev.ferry.controller.host.LinkMeasurements;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scores one candidate destination of {@code ferry host recommend}, from 0 (blocked) to 100, with
 * the reasons in words: up to 40 for the share of its memory still free after the move, 30 for
 * its vCPU headroom, 15 when nothing has to be copied (every disk on proven shared storage), and
 * 15 for the link's measured goodput from the source (full at {@link #FULL_GOODPUT_MIBPS}; none
 * when never measured); each warning costs 5. A movable host scores at least 1, so blocked hosts
 * (score 0, their blockers as reasons) always rank last.
 */
public final class RecommendationScore {
    static final double FULL_GOODPUT_MIBPS = 1000;

    private final LinkMeasurements links;

    public RecommendationScore(LinkMeasurements links) { this.links = links; }

    Recommendation score(Assessor.Evaluation e) {
        var a = e.assessment();
        if (!a.movable()) {
            return new Recommendation(a.destination(), 0, a.blockers().stream().map(f -> f.code() + ": " + f.message()).toList(), a);
        }
        HostCapacity cap = e.input().capacity();
        long needMem = HostCapacity.memoryOf(e.input().spec());
        int needCpu = HostCapacity.vcpusOf(e.input().spec());
        List<String> reasons = new ArrayList<>();
        long memAfter = cap.freeMemoryMiB() - needMem;
        double memShare = cap.memoryCapacityMiB() <= 0 ? 0 : Math.max(0, (double) memAfter / cap.memoryCapacityMiB());
        reasons.add(memAfter + " MiB memory free after the move (" + percent(memShare) + " of " + cap.memoryCapacityMiB() + ")");
        int cpuAfter = cap.freeVcpus() - needCpu;
        double cpuShare = cap.vcpuCapacity() <= 0 ? 0 : Math.max(0, (double) cpuAfter / cap.vcpuCapacity());
        reasons.add(cpuAfter + " vCPUs of headroom (" + percent(cpuShare) + " of " + cap.vcpuCapacity() + ")");
        double score = 40 * memShare + 30 * cpuShare;
        if (e.copies().isEmpty()) {
            score += 15;
            reasons.add("no disk copy needed (shared storage or no disks)");
        } else {
            long bytes = e.copies().values().stream().mapToLong(Long::longValue).sum();
            reasons.add((bytes >> 20) + " MiB of disks to copy into " + e.copies().keySet());
        }
        Optional<LinkMeasurement> link = links.latest(a.source(), a.destination());
        if (link.isPresent()) {
            LinkMeasurement l = link.get();
            score += 15 * Math.min(1, l.goodputMiBps() / FULL_GOODPUT_MIBPS);
            reasons.add(String.format("link %s -> %s measured %.0f MiB/s, RTT %.2f ms, loss %.0f%% at %s", l.from(), l.to(),
                    l.goodputMiBps(), l.rttMs(), l.lossPercent(), l.at()));
        } else {
            reasons.add("link " + a.source() + " -> " + a.destination() + " not measured (ferry host probe)");
        }
        for (Finding w : a.warnings()) {
            score -= 5;
            reasons.add("warning " + w.code() + ": " + w.message());
        }
        return new Recommendation(a.destination(), Math.round(Math.max(1, score) * 10) / 10.0, reasons, a);
    }

    private static String percent(double share) { return Math.round(share * 100) + "%"; }
}

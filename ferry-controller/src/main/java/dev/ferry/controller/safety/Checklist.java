package dev.ferry.controller.safety;

import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.api.safety.PerfSample;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.vm.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The judgement of the post-migration checks, apart from the reading: pure functions from what the
 * monitoring window saw (the guest's run state and console counters at each reading, the NICs the
 * destination's QEMU really has, work samples before and after the switchover, what the copy and
 * mirror phases established about the disks) to one {@link Check} each. Kept apart so every rule is
 * unit-tested with made-up readings and the monitor phase only gathers facts.
 */
public final class Checklist {
    /** A guest whose own work rate falls below this share of its rate on the source fails the performance check. */
    public static final double MIN_WORK_RATIO = 0.25;
    /** The heartbeat may stand still this long (or ten heartbeat periods, whichever is longer). */
    public static final long MIN_STALL_LIMIT_MS = 2000;

    /** One reading of the monitoring window: host time, QEMU's state of the VM, and the guest's console. */
    public record Reading(long atMs, VmState state, GuestHealth health) {}

    /** What is known about one disk after the move, from the phase that moved it. */
    public record DiskEvidence(String diskId, boolean verified, String how) {}

    private Checklist() {}

    public static Check running(String host, List<Reading> readings) {
        if (readings.isEmpty()) return Check.fail("running-on-destination", "no reading of the VM on " + host);
        List<Reading> off = readings.stream().filter(r -> r.state() != VmState.RUNNING).toList();
        if (off.isEmpty()) {
            return Check.pass("running-on-destination", "running on " + host + " at all " + readings.size() + " readings over "
                    + seconds(span(readings)));
        }
        Reading first = off.get(0);
        return Check.fail("running-on-destination", (first.state() == null ? "absent" : first.state().json()) + " on " + host + " "
                + seconds(first.atMs() - readings.get(0).atMs()) + " into the window (" + off.size() + " of " + readings.size()
                + " readings not running)");
    }

    public static Check heartbeat(String host, List<Reading> readings) {
        List<Reading> beats = readings.stream().filter(r -> r.health() != null && r.health().heartbeat() != null).toList();
        if (beats.isEmpty()) {
            return Check.pass("heartbeat-advancing", "the guest prints no heartbeat; judged by QEMU's run state only");
        }
        Long period = beats.get(beats.size() - 1).health().heartbeatPeriodMs();
        long limit = Math.max(MIN_STALL_LIMIT_MS, period == null ? 0 : 10 * period);
        long lastAdvance = beats.get(0).atMs();
        long value = beats.get(0).health().heartbeat();
        long longest = 0;
        for (Reading r : beats) {
            if (r.health().heartbeat() > value) {
                value = r.health().heartbeat();
                lastAdvance = r.atMs();
            }
            longest = Math.max(longest, r.atMs() - lastAdvance);
        }
        long firstBeat = beats.get(0).health().heartbeat();
        String detail = "heartbeat " + firstBeat + " -> " + value + " on " + host + " over " + seconds(span(beats)) + "; longest stall "
                + seconds(longest) + " (limit " + seconds(limit) + ")";
        boolean advanced = value > firstBeat || span(beats) < limit;
        return longest <= limit && advanced ? Check.pass("heartbeat-advancing", detail) : Check.fail("heartbeat-advancing", detail);
    }

    public static Check selfChecks(String host, List<Reading> readings) {
        for (Reading r : readings) {
            GuestHealth h = r.health();
            if (h != null && !h.ok()) {
                return Check.fail("guest-self-checks", "the guest reports a problem on " + host + (h.panicked() ? " (kernel panic)" : "")
                        + ": " + h.corruptLines() + " corruption line(s); last line: " + h.lastLine());
            }
        }
        return Check.pass("guest-self-checks", "no corruption line and no kernel panic in " + readings.size() + " readings");
    }

    public static Check disks(List<DiskEvidence> disks) {
        if (disks.isEmpty()) return Check.pass("disks-identical", "the VM has no disks");
        List<String> parts = disks.stream().map(d -> d.diskId() + ": " + d.how()).toList();
        boolean ok = disks.stream().allMatch(DiskEvidence::verified);
        return new Check("disks-identical", ok, String.join("; ", parts));
    }

    public static Check nics(String host, List<NicSpec> spec, List<NicBinding> actual) {
        if (spec.isEmpty()) return Check.pass("nics-on-mapped-networks", "the VM has no NICs");
        List<String> parts = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < spec.size(); i++) {
            NicSpec want = spec.get(i);
            int index = i;
            NicBinding got = actual.stream().filter(b -> b.index() == index).findFirst().orElse(null);
            if (got == null) {
                ok = false;
                parts.add("nic" + i + ": not found in QEMU on " + host);
                continue;
            }
            boolean net = got.networks().contains(want.network());
            boolean mac = want.mac() == null || want.mac().equalsIgnoreCase(got.mac());
            ok &= net && mac;
            parts.add("nic" + i + " (" + got.mac() + "): " + got.backend() + " = network " + got.networks() + ", spec '" + want.network()
                    + "'" + (net ? "" : " MISMATCH") + (mac ? "" : ", spec MAC " + want.mac() + " MISMATCH"));
        }
        return new Check("nics-on-mapped-networks", ok, String.join("; ", parts));
    }

    /**
     * Compares the guest's own work rate after the switchover with its rate before: the memory
     * worker's passes when both sides report them, else the heartbeat. QEMU's vCPU time per second
     * is reported alongside but not judged (a guest that idles uses little either way).
     */
    public static Check performance(PerfSample before0, PerfSample before1, PerfSample after0, PerfSample after1) {
        if (after0 == null || after1 == null || after1.atMs() <= after0.atMs()) {
            return Check.fail("performance", "no work sample of the guest after the switchover");
        }
        String vcpuAfter = vcpu(after0, after1);
        if (before0 == null || before1 == null || before1.atMs() <= before0.atMs()) {
            return Check.pass("performance", "no sample before the switchover to compare with; after: vCPU " + vcpuAfter);
        }
        String vcpuBefore = vcpu(before0, before1);
        // Memory passes only when the baseline saw some (a slow memory worker may finish none in the window).
        boolean passes = before0.memoryPasses() != null && before1.memoryPasses() != null && after0.memoryPasses() != null
                && after1.memoryPasses() != null && before1.memoryPasses() > before0.memoryPasses();
        boolean beats = before0.heartbeat() != null && before1.heartbeat() != null && after0.heartbeat() != null && after1.heartbeat() != null;
        if (!passes && !beats) {
            return Check.pass("performance", "the guest reports no work counters (not judged); vCPU " + vcpuBefore + " before, "
                    + vcpuAfter + " after");
        }
        String what = passes ? "memory passes" : "heartbeats";
        double r0 = passes ? rate(before0.memoryPasses(), before1.memoryPasses(), before0, before1)
                : rate(before0.heartbeat(), before1.heartbeat(), before0, before1);
        double r1 = passes ? rate(after0.memoryPasses(), after1.memoryPasses(), after0, after1)
                : rate(after0.heartbeat(), after1.heartbeat(), after0, after1);
        String detail = String.format(Locale.ROOT, "%s/s %.2f before, %.2f after (%.0f%%, at least %.0f%% required); vCPU %s before, %s after",
                what, r0, r1, r0 <= 0 ? 100.0 : 100 * r1 / r0, 100 * MIN_WORK_RATIO, vcpuBefore, vcpuAfter);
        boolean ok = r0 <= 0 || r1 >= MIN_WORK_RATIO * r0;
        return new Check("performance", ok, detail);
    }

    private static double rate(long a, long b, PerfSample s0, PerfSample s1) {
        return (b - a) * 1000.0 / (s1.atMs() - s0.atMs());
    }

    private static String vcpu(PerfSample s0, PerfSample s1) {
        return String.format(Locale.ROOT, "%.0f ms/s", (s1.vcpuTimeMs() - s0.vcpuTimeMs()) * 1000.0 / (s1.atMs() - s0.atMs()));
    }

    private static long span(List<Reading> rs) { return rs.isEmpty() ? 0 : rs.get(rs.size() - 1).atMs() - rs.get(0).atMs(); }

    static String seconds(long ms) { return String.format(Locale.ROOT, "%.1f s", ms / 1000.0); }
}

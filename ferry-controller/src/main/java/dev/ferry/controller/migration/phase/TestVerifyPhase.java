package dev.ferry.controller.migration.phase;

import dev.ferry.api.client.SafetyProbeClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.safety.Check;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.controller.migration.MigrationContext;
import dev.ferry.controller.migration.Phase;
import dev.ferry.controller.safety.Checklist;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a test migration's clone the way a migration's verify phase reads a guest: it must come
 * up on the destination (heartbeat advancing, self-checks OK; the test guest also checks every disk
 * record it finds), then it is watched for a few seconds with {@link Checklist}, and its NICs must
 * all be on the isolated network in the QEMU that runs it. The checks go to the job; a failed one
 * fails the test (its teardown runs all the same).
 */
public final class TestVerifyPhase implements Phase {
    static final Duration BOOT_WAIT = Duration.ofSeconds(120);
    static final Duration WATCH = Duration.ofSeconds(3);

    @Override
    public String name() { return "verify"; }

    @Override
    public void run(MigrationContext ctx) {
        List<Check> checks = new ArrayList<>();
        checks.add(awaitBoot(ctx));
        List<Checklist.Reading> readings = new ArrayList<>();
        long end = System.currentTimeMillis() + WATCH.toMillis();
        while (true) {
            readings.add(new Checklist.Reading(System.currentTimeMillis(), ctx.destination().show(ctx.vm()).state(),
                    ctx.destination().guestHealth(ctx.vm())));
            if (System.currentTimeMillis() >= end) break;
            TransferPhase.sleep(Duration.ofMillis(500));
        }
        checks.add(Checklist.running(ctx.destinationHost(), readings));
        checks.add(Checklist.heartbeat(ctx.destinationHost(), readings));
        checks.add(Checklist.selfChecks(ctx.destinationHost(), readings));
        checks.add(Checklist.disks(MonitorPhase.disks(ctx)));
        checks.add(isolated(ctx));
        ctx.safety().checks(checks);
        for (Check c : checks) ctx.journal().event("check", (c.ok() ? "OK " : "FAILED ") + c.check() + ": " + c.detail());
    }

    private static Check awaitBoot(MigrationContext ctx) {
        long deadline = System.nanoTime() + BOOT_WAIT.toNanos();
        Long first = null;
        GuestHealth h = null;
        while (System.nanoTime() < deadline) {
            ctx.checkAbort();
            h = ctx.destination().guestHealth(ctx.vm());
            if (!h.ok()) return Check.fail("clone-booted", "the clone reports a problem: " + h.lastLine());
            if (h.heartbeat() != null && first == null) first = h.heartbeat();
            if (first != null && h.heartbeat() > first) {
                return Check.pass("clone-booted", "the clone booted on " + ctx.destinationHost() + ": heartbeat " + first + " -> "
                        + h.heartbeat() + (h.diskSeq() == null ? "" : ", disk records up to " + h.diskSeq()) + ", self-checks OK");
            }
            TransferPhase.sleep(TransferPhase.POLL);
        }
        return Check.fail("clone-booted", "no advancing heartbeat within " + BOOT_WAIT.toSeconds() + " s (last line: "
                + (h == null ? "none" : h.lastLine()) + ")");
    }

    private static Check isolated(MigrationContext ctx) {
        try {
            List<NicBinding> nics = SafetyProbeClient.of(ctx.destination()).nics(ctx.vm());
            boolean ok = nics.stream().allMatch(n -> n.networks().contains(NetworkDef.ISOLATED));
            return new Check("nics-isolated", ok, nics.isEmpty() ? "the clone has no NICs" : nics.stream()
                    .map(n -> "nic" + n.index() + " (" + n.mac() + "): " + n.backend() + " = " + n.networks()).toList().toString());
        } catch (FerryException e) {
            return Check.fail("nics-isolated", "cannot read the clone's NICs: " + e.getMessage());
        }
    }
}

package dev.ferry.cli.lab;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.GuestHealth;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks the guest with its own words: waits for it to boot and report intact memory, and after a
 * move proves it is the same, intact guest on the new host: QEMU runs there and not on the old host,
 * the heartbeat goes on without a reboot, and the memory and disk workers report fresh OK lines
 * and no corruption from the new host's console (plus the agent's guest-health verdict where the
 * agent offers it). Each check that passes becomes one line of the demo's verification output.
 */
public final class GuestCheck {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private GuestCheck() {}

    /** Waits for FERRY-GUEST-READY and then a MEMORY-OK line on {@code host}. */
    public static void awaitBoot(AgentClient agent, String host, Path log, Consumer<String> say) {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        boolean readySaid = false;
        while (true) {
            GuestConsole.Snapshot s = GuestConsole.read(log, GuestConsole.Mark.START);
            if (!s.healthy()) throw new LabException("the guest reports a problem on " + host + ": " + s.problems().get(0));
            if (s.ready() && !readySaid) {
                say.accept("guest on " + host + ": " + s.readyLine());
                readySaid = true;
            }
            if (s.ready() && s.memoryOkLines() > 0) {
                say.accept("guest on " + host + ": " + s.lastMemoryOk());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("the guest did not report " + (s.ready() ? "MEMORY-OK" : "FERRY-GUEST-READY") + " within "
                        + BOOT_TIMEOUT.toSeconds() + " s on " + host + "; its console log is " + log);
            }
            requireRunning(agent, host, log);
            ProcessTools.sleep(250);
        }
    }

    /**
     * Verifies the guest after a move from {@code from} to {@code to}; {@code offset} marks the
     * end of the destination's console log before the migration (only later lines count).
     */
    public static List<String> afterMove(AgentClient src, AgentClient dst, String from, String to, Path dstLog, GuestConsole.Mark offset,
                                         Long lastHeartbeatOnSource) {
        List<String> lines = new ArrayList<>();
        VmInfo vm = requireRunning(dst, to, dstLog);
        awaitGone(src, from);
        lines.add("demo runs on " + to + " (QEMU pid " + vm.pid() + "); " + from + " no longer has it");
        GuestConsole.Snapshot s = awaitFreshReports(to, dstLog, offset, lastHeartbeatOnSource);
        lines.add("heartbeat went on without a reboot: n=" + s.firstHeartbeat() + ".." + s.lastHeartbeat() + " on " + to
                + (lastHeartbeatOnSource == null ? "" : " (last on " + from + ": n=" + lastHeartbeatOnSource + ")"));
        lines.add("memory worker on " + to + ": " + s.lastMemoryOk() + " (no corruption reported)");
        if (s.lastDiskOk() != null) lines.add("disk worker on " + to + ": " + s.lastDiskOk() + " (no corruption reported)");
        String health = agentVerdict(dst, to);
        if (health != null) lines.add(health);
        return lines;
    }

    private static GuestConsole.Snapshot awaitFreshReports(String to, Path log, GuestConsole.Mark offset, Long lastOnSource) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            GuestConsole.Snapshot s = GuestConsole.read(log, offset);
            if (!s.healthy()) throw new LabException("the guest reports a problem on " + to + ": " + s.problems().get(0));
            if (s.ready()) throw new LabException("the guest rebooted on " + to + " (" + s.readyLine() + "): its state was not carried over");
            boolean beat = s.lastHeartbeat() != null && (lastOnSource == null || s.lastHeartbeat() > lastOnSource);
            if (beat && s.memoryOkLines() > 0) {
                if (s.firstHeartbeat() != null && s.firstHeartbeat() <= 1) {
                    throw new LabException("the guest's heartbeat restarted from 1 on " + to + ": it rebooted");
                }
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("no fresh " + (beat ? "MEMORY-OK" : "HEARTBEAT") + " line from the guest on " + to
                        + " within " + SETTLE_TIMEOUT.toSeconds() + " s after the move; console log " + log);
            }
            ProcessTools.sleep(250);
        }
    }

    private static VmInfo requireRunning(AgentClient agent, String host, Path log) {
        VmInfo vm = agent.show(DemoGuest.VM);
        if (vm.state() != VmState.RUNNING) {
            throw new LabException("the VM is " + vm.state().json() + " on " + host + ", not running; console log " + log);
        }
        return vm;
    }

    /** The source must let go of the VM: no QEMU left there (the controller's finish phase). */
    private static void awaitGone(AgentClient src, String from) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            boolean present = src.list().stream().anyMatch(v -> v.name().equals(DemoGuest.VM) && v.state().hasProcess());
            if (!present) return;
            if (System.nanoTime() > deadline) throw new LabException(from + " still runs a QEMU for the VM after the move");
            ProcessTools.sleep(250);
        }
    }

    /** The agent's own guest-health verdict, or null if this agent has no such endpoint. */
    private static String agentVerdict(AgentClient dst, String to) {
        GuestHealth h;
        try {
            h = dst.guestHealth(DemoGuest.VM);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.NOT_FOUND) return null;
            throw e;
        }
        if (!h.ok()) throw new LabException("the agent on " + to + " reports the guest unhealthy: " + h.lastLine());
        return "agent on " + to + " agrees: guest healthy (" + h.corruptLines() + " corruption lines, no panic)";
    }
}

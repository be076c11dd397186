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
        awaitBoot(agent, DemoGuest.VM, host, log, say);
    }

    /** {@link #awaitBoot(AgentClient, String, Path, Consumer)} for guest {@code vm}. */
    public static void awaitBoot(AgentClient agent, String vm, String host, Path log, Consumer<String> say) {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        boolean readySaid = false;
        while (true) {
            GuestConsole.Snapshot s = GuestConsole.read(log, GuestConsole.Mark.START);
            if (!s.healthy()) throw new LabException(guest(vm) + " reports a problem on " + host + ": " + s.problems().get(0));
            if (s.ready() && !readySaid) {
                say.accept(label(vm) + " on " + host + ": " + s.readyLine());
                readySaid = true;
            }
            if (s.ready() && s.memoryOkLines() > 0) {
                say.accept(label(vm) + " on " + host + ": " + s.lastMemoryOk());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(guest(vm) + " did not report " + (s.ready() ? "MEMORY-OK" : "FERRY-GUEST-READY") + " within "
                        + BOOT_TIMEOUT.toSeconds() + " s on " + host + "; its console log is " + log);
            }
            requireRunning(agent, vm, host, log);
            ProcessTools.sleep(250);
        }
    }

    /**
     * Verifies the guest after a move from {@code from} to {@code to}; {@code offset} marks the
     * end of the destination's console log before the migration (only later lines count).
     */
    public static List<String> afterMove(AgentClient src, AgentClient dst, String from, String to, Path dstLog, GuestConsole.Mark offset,
                                         Long lastHeartbeatOnSource) {
        return afterMove(DemoGuest.VM, src, dst, from, to, dstLog, offset, lastHeartbeatOnSource);
    }

    /** {@link #afterMove(AgentClient, AgentClient, String, String, Path, GuestConsole.Mark, Long)} for guest {@code name}. */
    public static List<String> afterMove(String name, AgentClient src, AgentClient dst, String from, String to, Path dstLog,
                                         GuestConsole.Mark offset, Long lastHeartbeatOnSource) {
        List<String> lines = new ArrayList<>();
        VmInfo vm = requireRunning(dst, name, to, dstLog);
        awaitGone(src, name, from);
        lines.add(name + " runs on " + to + " (QEMU pid " + vm.pid() + "); " + from + " no longer has it");
        GuestConsole.Snapshot s = awaitFreshReports(name, to, dstLog, offset, lastHeartbeatOnSource);
        lines.add("heartbeat went on without a reboot: n=" + s.firstHeartbeat() + ".." + s.lastHeartbeat() + " on " + to
                + (lastHeartbeatOnSource == null ? "" : " (last on " + from + ": n=" + lastHeartbeatOnSource + ")"));
        lines.add("memory worker on " + to + ": " + s.lastMemoryOk() + " (no corruption reported)");
        if (s.lastDiskOk() != null) lines.add("disk worker on " + to + ": " + s.lastDiskOk() + " (no corruption reported)");
        String health = agentVerdict(dst, name, to);
        if (health != null) lines.add(health);
        return lines;
    }

    /**
     * Verifies a guest that stayed where it was ({@code host}): it still runs there, and its
     * console has fresh heartbeat and MEMORY-OK lines after {@code offset}, without a reboot.
     */
    public static List<String> stayed(String name, AgentClient agent, String host, Path log, GuestConsole.Mark offset) {
        VmInfo vm = requireRunning(agent, name, host, log);
        GuestConsole.Snapshot s = awaitFreshReports(name, host, log, offset, null);
        List<String> lines = new ArrayList<>();
        lines.add(name + " still runs on " + host + " (QEMU pid " + vm.pid() + "), heartbeat n=" + s.firstHeartbeat() + ".."
                + s.lastHeartbeat() + ", " + s.lastMemoryOk());
        String health = agentVerdict(agent, name, host);
        if (health != null) lines.add(health);
        return lines;
    }

    private static GuestConsole.Snapshot awaitFreshReports(String vm, String to, Path log, GuestConsole.Mark offset, Long lastOnSource) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            GuestConsole.Snapshot s = GuestConsole.read(log, offset);
            if (!s.healthy()) throw new LabException(guest(vm) + " reports a problem on " + to + ": " + s.problems().get(0));
            if (s.ready()) throw new LabException(guest(vm) + " rebooted on " + to + " (" + s.readyLine() + "): its state was not carried over");
            boolean beat = s.lastHeartbeat() != null && (lastOnSource == null || s.lastHeartbeat() > lastOnSource);
            if (beat && s.memoryOkLines() > 0) {
                if (s.firstHeartbeat() != null && s.firstHeartbeat() <= 1) {
                    throw new LabException(guest(vm) + "'s heartbeat restarted from 1 on " + to + ": it rebooted");
                }
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("no fresh " + (beat ? "MEMORY-OK" : "HEARTBEAT") + " line from " + guest(vm) + " on " + to
                        + " within " + SETTLE_TIMEOUT.toSeconds() + " s after the move; console log " + log);
            }
            ProcessTools.sleep(250);
        }
    }

    private static VmInfo requireRunning(AgentClient agent, String name, String host, Path log) {
        VmInfo vm = agent.show(name);
        if (vm.state() != VmState.RUNNING) {
            throw new LabException((name.equals(DemoGuest.VM) ? "the VM" : "VM " + name) + " is " + vm.state().json() + " on " + host + ", not running; console log " + log);
        }
        return vm;
    }

    /** The source must let go of the VM: no QEMU left there (the controller's finish phase). */
    private static void awaitGone(AgentClient src, String name, String from) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            boolean present = src.list().stream().anyMatch(v -> v.name().equals(name) && v.state().hasProcess());
            if (!present) return;
            if (System.nanoTime() > deadline) throw new LabException(from + " still runs a QEMU for " + name + " after the move");
            ProcessTools.sleep(250);
        }
    }

    /** The agent's own guest-health verdict, or null if this agent has no such endpoint. */
    private static String agentVerdict(AgentClient dst, String name, String to) {
        GuestHealth h;
        try {
            h = dst.guestHealth(name);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.NOT_FOUND) return null;
            throw e;
        }
        if (!h.ok()) throw new LabException("the agent on " + to + " reports " + guest(name) + " unhealthy: " + h.lastLine());
        return "agent on " + to + " agrees: guest healthy (" + h.corruptLines() + " corruption lines, no panic)";
    }

    /** "the guest" for the classic demo (its messages stay as they were), else "guest demo-2". */
    private static String guest(String vm) { return vm.equals(DemoGuest.VM) ? "the guest" : "guest " + vm; }

    private static String label(String vm) { return vm.equals(DemoGuest.VM) ? "guest" : vm; }
}

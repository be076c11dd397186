package dev.ferry.bench.evacuation;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.bench.live.BenchLab;
import dev.ferry.bench.live.GuestMemory;
import dev.ferry.cli.lab.DemoGuest;
import dev.ferry.cli.lab.Evacuation;
import dev.ferry.cli.lab.GuestCheck;
import dev.ferry.cli.lab.GuestConsole;
import dev.ferry.cli.lab.LabException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The guests of one run: booted fresh on host-a through its agent (the demo's test guest, 128 MiB,
 * data disk in the shared pool, the bench's memory-dirtying rate), counted (non-zero memory, just
 * before the run), checked afterwards on the host each ended on (the guest's own heartbeat and
 * memory/disk self-checks, via the demo's {@link GuestCheck}), and removed again so the next run
 * starts from fresh guests.
 */
final class Fleet {
    private final BenchLab lab;
    private final EvacSettings settings;
    private final DemoGuest.Boot boot;
    private final Consumer<String> say;
    /** Where each guest's console on host-a stood once it had booted: a guest that stays must not count its own boot as a reboot. */
    private final Map<String, GuestConsole.Mark> booted = new LinkedHashMap<>();

    Fleet(BenchLab lab, EvacSettings settings, DemoGuest.Boot boot, Consumer<String> say) {
        this.lab = lab;
        this.settings = settings;
        this.boot = boot;
        this.say = say;
    }

    /** Boots guests {@code prefix}1..N on host-a and waits until each reports intact memory and the controller knows them. */
    List<String> boot(String prefix) {
        AgentClient a = lab.services().agent("host-a");
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= settings.vms(); i++) {
            String name = prefix + i;
            a.define(DemoGuest.spec(boot, DemoGuest.createDisk(lab.layout(), name), name, settings.guestMib(), settings.cmdline()));
            a.start(name);
            names.add(name);
        }
        for (String n : names) {
            GuestCheck.awaitBoot(a, n, "host-a", lab.layout().serialLog("host-a", n), s -> {});
            booted.put(n, GuestConsole.mark(lab.layout().serialLog("host-a", n)));
        }
        Map<String, String> placement = new LinkedHashMap<>();
        names.forEach(n -> placement.put(n, "host-a"));
        Evacuation.awaitInventory(lab.services().controllerClient(), placement);
        sleep(settings.settleMs());
        say.accept(names.size() + " guests booted on host-a (" + settings.cmdline().replaceAll(".*ferry.mem", "ferry.mem") + ")");
        return names;
    }

    /** The guests' non-zero memory now, summed (read from each QEMU's guest-RAM mapping). */
    long nonZeroBytes(List<String> names) {
        AgentClient a = lab.services().agent("host-a");
        long total = 0;
        for (String n : names) total += GuestMemory.nonZeroBytesOfProcess(a.show(n).pid(), (long) settings.guestMib() << 20);
        return total;
    }

    /**
     * The guest's verdict on {@code host} after its move (or on host-a when it did not move): its own
     * fresh self-check lines and no reboot, counted on a destination from the start of its console
     * log (the guest arrived there), on host-a from the end of its boot.
     */
    String check(String vm, String host) {
        GuestConsole.Mark from = host.equals("host-a") ? booted.getOrDefault(vm, GuestConsole.Mark.START) : GuestConsole.Mark.START;
        try {
            List<String> lines = GuestCheck.stayed(vm, lab.services().agent(host), host, lab.layout().serialLog(host, vm), from);
            return "self-checks OK on " + host + " (" + lines.get(0).replaceAll(".*heartbeat", "heartbeat") + ")";
        } catch (LabException | dev.ferry.api.error.FerryException e) { // e.g. the agent no longer has the guest
            return "FAILED on " + host + ": " + e.getMessage();
        }
    }

    /** Stops and deletes every guest of the lab on every host. */
    void removeAll() {
        for (String host : lab.services().agents().keySet()) {
            AgentClient agent = lab.services().agent(host);
            for (VmInfo vm : agent.list()) {
                try {
                    if (vm.state() == VmState.RUNNING || vm.state() == VmState.PAUSED) agent.kill(vm.name());
                    agent.delete(vm.name());
                } catch (RuntimeException e) {
                    throw new LabException("cannot remove " + vm.name() + " from " + host + ": " + e.getMessage());
                }
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }
}

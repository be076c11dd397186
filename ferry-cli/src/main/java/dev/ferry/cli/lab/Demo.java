package dev.ferry.cli.lab;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.vm.VmInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code ferry demo} from start to end: build the guest, build a lab of two to five hosts, boot the
 * guests, then either live-migrate them round-robin through the controller for {@code --rounds}
 * (the classic demo: one guest back and forth between two hosts) or evacuate host-a through a plan
 * ({@code --evacuate}); verify every guest, report, and leave the machine as it was, also on failure
 * and on Ctrl-C (a shutdown hook runs the same {@link Teardown}). Each step is delegated to a small
 * class of this package; this class only sequences them and decides what the user is told.
 */
public final class Demo {
    private final DemoSettings settings;
    private final MigrationFollower follower;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final Shell shell = new Shell(30);
    private volatile LabLayout layout;
    private volatile Lab lab;
    private volatile LabState state;
    private volatile boolean interrupted;
    private volatile boolean over;

    public Demo(DemoSettings settings, MigrationFollower follower, PrintStream out) {
        this.settings = settings;
        this.follower = follower;
        this.out = out;
    }

    /** Runs the demo; returns the exit code (0 only when every migration succeeded and was verified). */
    public int run() {
        Thread hook = new Thread(this::onInterrupt, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Runnable report = runLab();
            report.run();
            over = true;
            if (settings.keep()) {
                out.println("The lab keeps running (--keep). Stop it with: "
                        + DemoReport.ferryCommand(settings.home()) + " demo --stop --dir " + layout.dir());
                return 0;
            }
            return cleanUp(false) ? 0 : 1;
        } catch (RuntimeException e) {
            if (interrupted) return 130;
            over = true;
            if (System.getenv("FERRY_DEBUG") != null) e.printStackTrace();
            out.println("demo failed: " + describe(e));
            cleanUp(true);
            printLogsHint();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }

    /** Builds and runs the lab; returns what reports the outcome. */
    private Runnable runLab() {
        say("building the demo guest (guest/build.sh)");
        DemoGuest.Boot boot = DemoGuest.build(settings.home(), new Shell(900));
        Lab l = Lab.open(settings.hosts(), settings.loopbackOnly(), shell, this::say, current -> lab = current);
        layout = LabLayout.create(settings.dir());
        say("work directory " + layout.dir());
        record(s -> LabState.fresh(layout, l.plan().mode()));
        LabState.markLatest(layout.dir());
        if (settings.shape() != null) {
            l.shape(settings.shape());
            say((settings.hosts() == 2 ? "migration link" : "every host's migration link") + " shaped to " + settings.shape()
                    + " (tc tbf)");
        }
        LabPki.create(layout, l.plan());
        writeConfigs(l);
        say("cluster CA and certificates for " + String.join(", ", l.plan().hostNames()) + ", controller, demo-client in " + layout.pki());
        LabServices.Running services = LabServices.start(l, layout, JavaCommand.current(), this::record, this::say);
        LabConfigs.write(layout.cliConfig(), LabConfigs.cliYaml(layout, services.controller()));
        Map<String, String> placement = bootGuests(services, boot);
        return settings.evacuate() ? evacuate(services, placement) : rounds(services);
    }

    private Runnable rounds(LabServices.Running services) {
        MigrationRound round = new MigrationRound(services, layout, follower, this::say);
        List<MigrationRound.Result> results = new ArrayList<>();
        List<String> vms = settings.vmNames();
        for (int i = 1; i <= settings.rounds(); i++) {
            for (int v = 0; v < vms.size(); v++) {
                results.add(round.run(vms.get(v), i, DemoSettings.source(v, i, settings.hosts()),
                        DemoSettings.destination(v, i, settings.hosts()), settings.maxDowntimeMs(), settings.bandwidthMiBps()));
            }
        }
        exploreHints(services, results);
        return () -> report(results);
    }

    private Runnable evacuate(LabServices.Running services, Map<String, String> placement) {
        PlanApi plans = new ControllerPlanApi(services.controllerClient());
        Evacuation.Outcome outcome = new Evacuation(plans, services, layout, this::say).run("host-a", placement);
        String cfg = " --config " + layout.cliConfig();
        String ferry = DemoReport.ferryCommand(settings.home());
        explore = List.of(ferry + " host list" + cfg, ferry + " vm list" + cfg, ferry + " plan show " + outcome.plan().id() + cfg,
                ferry + " plan report " + outcome.plan().id() + " --out /tmp/plan-report" + cfg, ferry + " migration list" + cfg);
        return () -> reportEvacuation(outcome);
    }

    private void writeConfigs(Lab l) {
        for (AddressPlan.LabHost h : l.plan().hosts()) {
            LabConfigs.write(layout.agentConfig(h.name()), LabConfigs.agentYaml(layout, h));
        }
        LabConfigs.write(layout.serverConfig(), LabConfigs.serverYaml(layout));
    }

    /** Defines and starts every guest where {@link DemoSettings#placement()} says, then waits for each to boot. */
    private Map<String, String> bootGuests(LabServices.Running services, DemoGuest.Boot boot) {
        Map<String, String> placement = new LinkedHashMap<>();
        List<String> vms = settings.vmNames();
        for (int i = 0; i < vms.size(); i++) placement.put(vms.get(i), settings.placement().get(i));
        for (Map.Entry<String, String> e : placement.entrySet()) {
            AgentClient a = services.agent(e.getValue());
            a.define(DemoGuest.spec(boot, DemoGuest.createDisk(layout, e.getKey()), e.getKey(), vms.size()));
            VmInfo vm = a.start(e.getKey());
            say("VM " + e.getKey() + " started on " + e.getValue() + " (" + DemoGuest.memoryMib(vms.size())
                    + " MiB, data disk in the shared pool, QEMU pid " + vm.pid() + "); waiting for the guest");
        }
        for (Map.Entry<String, String> e : placement.entrySet()) {
            GuestCheck.awaitBoot(services.agent(e.getValue()), e.getKey(), e.getValue(), layout.serialLog(e.getValue(), e.getKey()),
                    this::say);
        }
        return placement;
    }

    private List<String> explore = List.of();

    private void exploreHints(LabServices.Running services, List<MigrationRound.Result> results) {
        MigrationRound.Result last = results.get(results.size() - 1);
        explore = DemoReport.exploreCommands(DemoReport.ferryCommand(settings.home()), layout, last.vm(), last.to(), last.from(),
                services.agents().get(last.to()), last.id());
    }

    private void reportEvacuation(Evacuation.Outcome outcome) {
        Long wall = EvacuationReport.wallMs(outcome.plan());
        say("done: host-a evacuated by plan " + outcome.plan().id() + (wall == null ? "" : " in " + EvacuationReport.seconds(wall))
                + "; " + outcome.endedOn().size() + " guests verified on the hosts they ended on");
        out.println();
        out.println("Plan " + outcome.plan().id() + ": predicted against measured");
        DemoReport.table(out, EvacuationReport.rows(outcome.plan()));
        out.println();
        out.println(settings.keep() ? "Explore the lab:" : "Explore a lab like this one: run 'ferry demo --keep', then:");
        explore.forEach(c -> out.println("  " + c));
        out.println();
    }

    private void report(List<MigrationRound.Result> results) {
        say("done: " + results.size() + " live migration" + (results.size() == 1 ? "" : "s") + " succeeded and verified");
        out.println();
        DemoReport.table(out, DemoReport.rows(results));
        out.println();
        out.println(settings.keep() ? "Explore the lab:" : "Explore a lab like this one: run 'ferry demo --keep', then:");
        explore.forEach(c -> out.println("  " + c));
        out.println();
    }

    /** Tears the lab down; true if nothing was left behind. */
    private boolean cleanUp(boolean keepLogs) {
        LabLayout l = layout;
        if (l == null) return destroyNetworkOnly();
        Lab current = lab == null ? new LoopbackLab(settings.hosts()) : lab;
        LabState s = state == null ? LabState.fresh(l, current.plan().mode()) : state;
        List<String> problems = teardown(l, current).run(s, keepLogs);
        if (problems == null) return true; // the other of main thread and shutdown hook did it
        if (problems.isEmpty()) {
            say("cleaned up: " + (settings.vms() == 1 ? "VM" : "VMs") + " stopped, agents and controller stopped" + (current.plan().isNetns() ? ", namespaces removed" : "")
                    + (java.nio.file.Files.exists(l.logs()) ? ", work directory removed except logs" : ", " + l.dir() + " removed"));
            return true;
        }
        out.println("cleanup incomplete: " + String.join("; ", problems));
        return false;
    }

    /** A failure between building the network and creating the work directory leaves only the network. */
    private boolean destroyNetworkOnly() {
        Lab current = lab;
        if (current == null) return true;
        try {
            current.destroy();
            return true;
        } catch (LabException e) {
            out.println("cleanup incomplete: " + e.getMessage());
            return false;
        }
    }

    private Teardown teardown;

    private synchronized Teardown teardown(LabLayout l, Lab current) {
        if (teardown == null) teardown = new Teardown(l, current);
        return teardown;
    }

    private void onInterrupt() {
        if (over) {
            if (!settings.keep()) cleanUp(false);
            return;
        }
        interrupted = true;
        out.println();
        out.println("interrupted: cleaning up");
        cleanUp(true);
        printLogsHint();
    }

    private void printLogsHint() {
        if (layout != null && java.nio.file.Files.isDirectory(layout.logs())) {
            out.println("logs: " + layout.logs() + " (controller, agents and the guest's console)");
        }
    }

    private synchronized void record(UnaryOperator<LabState> change) {
        state = change.apply(state);
        state.save(layout);
    }

    private void say(String message) {
        out.printf("[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, message);
    }

    private static String describe(RuntimeException e) {
        if (e instanceof LabException || e instanceof FerryException) {
            String code = e instanceof FerryException fe ? " [" + fe.code().name() + "]" : "";
            return e.getMessage() + code;
        }
        return "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

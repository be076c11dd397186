package dev.ferry.bench.live;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.vm.VmInfo;
import dev.ferry.api.vm.VmState;
import dev.ferry.cli.lab.DemoGuest;
import dev.ferry.cli.lab.GuestConsole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One migration by Ferry, the way a user asks for it: the guest is defined and started through
 * host-a's agent, and the controller is asked for a live migration with the benchmark's maximum
 * downtime and throttling allowed (the Nova-like policy throttles too; post-copy is not offered,
 * as Nova does not by default). Everything after that is Ferry's: measuring, planning, escalating,
 * verifying. The plan's prediction and the measurement come from the job's record.
 */
final class FerryMigration {
    private final BenchLab lab;
    private final BenchSettings settings;
    private final DemoGuest.Boot boot;
    private final Consumer<String> say;

    FerryMigration(BenchLab lab, BenchSettings settings, DemoGuest.Boot boot, Consumer<String> say) {
        this.lab = lab;
        this.settings = settings;
        this.boot = boot;
        this.say = say;
    }

    /** The outcome and the job's plan and escalation events. */
    record Run(Outcome outcome, List<String> plan) {}

    Run run(String name, String link, Workload w, double goodputMiBps, long goodput) {
        AgentClient a = lab.services().agent("host-a"), b = lab.services().agent("host-b");
        ControllerClient controller = lab.services().controllerClient();
        a.define(DirectMigration.spec(boot, name, w.cmdline(goodputMiBps)));
        a.start(name);
        Path srcLog = lab.layout().serialLog("host-a", name), dstLog = lab.layout().serialLog("host-b", name);
        GuestConsoleWait.ready(srcLog, Duration.ofSeconds(90));
        DirectMigration.sleep(settings.settleMs());
        long wire0 = lab.wireBytesSent();
        long t0 = System.nanoTime();
        MigrationView v = controller.startMigration(new MigrationRequest(name, "host-b", (int) settings.maxDowntimeMs(), null, null,
                MigrationRequest.LIVE, false, true, null, null));
        String stopped = null;
        while (!(v = controller.migration(v.id())).isFinished()) {
            if (stopped == null && System.nanoTime() - t0 > settings.ceilingMs() * 1_000_000) {
                stopped = "stopped at the bench ceiling (" + settings.ceilingMs() / 1000 + " s)";
                controller.abort(v.id());
            }
            DirectMigration.sleep(250);
        }
        long jobMs = (System.nanoTime() - t0) / 1_000_000;
        long wire = lab.wireBytesSent() - wire0;
        List<String> plan = planLines(v);
        plan.forEach(l -> say.accept("  ferry " + l));
        boolean done = "succeeded".equals(v.state());
        String host = done ? "host-b" : "host-a";
        String check = GuestConsoleWait.verdict(done ? dstLog : srcLog, done ? GuestConsole.Mark.START : GuestConsole.mark(srcLog),
                Duration.ofSeconds(20));
        remove(done ? b : a, name);
        MigrationResult r = v.result();
        String end = done ? "completed" : stopped != null ? stopped : v.state() + ": " + v.errorMessage();
        return new Run(new Outcome(link, w.id(), "ferry", done, end, r == null ? jobMs : r.totalTimeMs(), r == null ? null : r.downtimeMs(),
                r == null ? 0 : r.transferredBytes(), wire, jobMs, 0, goodput, r == null ? null : r.predictedTotalMs(),
                r == null ? null : r.predictedDowntimeMs(), strategy(v, r), null, check + " on " + host), plan);
    }

    private static String strategy(MigrationView v, MigrationResult r) {
        if (r == null || r.strategy() == null) return "-";
        return r.strategy() + (r.escalations() == null || r.escalations() == 0 ? "" : ", " + r.escalations() + " escalation(s)");
    }

    /** The plan and every escalation, as the job recorded them. */
    static List<String> planLines(MigrationView v) {
        List<String> out = new ArrayList<>();
        for (MigrationEvent e : v.events() == null ? List.<MigrationEvent>of() : v.events()) {
            if (e.kind().equals("plan") || e.kind().startsWith("escalat")) out.add(e.kind() + ": " + e.message());
        }
        return out;
    }

    private static void remove(AgentClient agent, String name) {
        try {
            VmInfo vm = agent.show(name);
            if (vm.state() == VmState.RUNNING || vm.state() == VmState.PAUSED) agent.kill(name);
            agent.delete(name);
        } catch (RuntimeException e) {
            // the lab's teardown kills whatever is left
        }
    }
}

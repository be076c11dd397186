package dev.ferry.cli.lab;

import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Empties one host of the lab the way an operator would: one call to the controller's evacuate
 * endpoint (which assesses every guest on the host, chooses destinations and runs the moves as a
 * plan within its limits), then the plan is followed with a line per VM whenever its move changes
 * state, and when it has ended every guest is verified from its own console on the host it ended
 * on (moved ones with {@link GuestCheck#afterMove}, the others with {@link GuestCheck#stayed}).
 * A plan that has not ended within {@link #LIMIT} fails the demo, so the demo always ends.
 */
public final class Evacuation {
    static final Duration LIMIT = Duration.ofMinutes(15);
    static final long POLL_MS = 500;
    static final long SUMMARY_MS = 10_000;
    static final Duration INVENTORY_TIMEOUT = Duration.ofSeconds(30);

    /** The ended plan, where each guest ended, and the verification lines. */
    public record Outcome(PlanView plan, Map<String, String> endedOn, List<String> verified) {}

    private final PlanApi plans;
    private final LabServices.Running services;
    private final LabLayout layout;
    private final Consumer<String> say;

    public Evacuation(PlanApi plans, LabServices.Running services, LabLayout layout, Consumer<String> say) {
        this.plans = plans;
        this.services = services;
        this.layout = layout;
        this.say = say;
    }

    /** Evacuates {@code host}; {@code placement} is where each guest runs now (VM name to host). */
    public Outcome run(String host, Map<String, String> placement) {
        Map<String, Map<String, GuestConsole.Mark>> marks = marks(placement.keySet());
        awaitInventory(services.controllerClient(), placement);
        PlanView started = plans.evacuate(host, false);
        say.accept("evacuating " + host + " through plan " + started.id() + ": " + started.items().size() + " move"
                + (started.items().size() == 1 ? "" : "s") + (started.predictedTotalMs() == null ? ""
                : ", predicted " + EvacuationReport.seconds(started.predictedTotalMs())));
        for (PlanItemView i : started.items()) say.accept("  plan: " + EvacuationReport.progress(i));
        PlanView done = follow(started);
        if (!"succeeded".equals(done.state())) throw failed(done);
        Map<String, String> endedOn = endedOn(placement, done);
        List<String> verified = verify(placement, endedOn, done, marks);
        for (String line : verified) say.accept("verified: " + line);
        return new Outcome(done, endedOn, verified);
    }

    /**
     * Waits until the controller's inventory (synced from the agents every few seconds) shows every
     * guest where it runs: the evacuation plan moves what the inventory says is on the host.
     */
    public static void awaitInventory(dev.ferry.api.client.ControllerClient controller, Map<String, String> placement) {
        long deadline = System.nanoTime() + INVENTORY_TIMEOUT.toNanos();
        while (true) {
            Map<String, String> known = new LinkedHashMap<>();
            for (com.fasterxml.jackson.databind.JsonNode v : controller.vms()) known.put(v.path("name").asText(), v.path("host").asText());
            if (known.entrySet().containsAll(placement.entrySet())) return;
            if (System.nanoTime() > deadline) {
                throw new LabException("the controller's inventory does not show every guest where it runs after "
                        + INVENTORY_TIMEOUT.toSeconds() + " s: " + known + ", expected " + placement);
            }
            ProcessTools.sleep(250);
        }
    }

    /** Where each guest is after the plan: its item's destination if it moved, else where it was. */
    static Map<String, String> endedOn(Map<String, String> placement, PlanView plan) {
        Map<String, String> at = new LinkedHashMap<>(placement);
        for (PlanItemView i : plan.items()) {
            if ("succeeded".equals(i.state()) && i.destination() != null) at.put(i.vm(), i.destination());
        }
        return at;
    }

    private PlanView follow(PlanView started) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long nextSummary = System.nanoTime() + SUMMARY_MS * 1_000_000;
        PlanView last = started;
        while (!last.isFinished()) {
            if (System.nanoTime() > deadline) {
                plans.abort(started.id());
                throw new LabException("plan " + started.id() + " did not finish within " + LIMIT.toMinutes() + " minutes ("
                        + EvacuationReport.summary(last) + "); aborted it");
            }
            ProcessTools.sleep(POLL_MS);
            PlanView now = plans.plan(started.id());
            for (String line : EvacuationReport.changes(last, now)) say.accept(line);
            if (System.nanoTime() > nextSummary) {
                say.accept(EvacuationReport.summary(now));
                nextSummary = System.nanoTime() + SUMMARY_MS * 1_000_000;
            }
            last = now;
        }
        say.accept(EvacuationReport.summary(last));
        return last;
    }

    /** The console position of every guest's log on every host, before anything moves. */
    private Map<String, Map<String, GuestConsole.Mark>> marks(Iterable<String> vms) {
        Map<String, Map<String, GuestConsole.Mark>> marks = new LinkedHashMap<>();
        for (String vm : vms) {
            Map<String, GuestConsole.Mark> perHost = new LinkedHashMap<>();
            for (String h : services.agents().keySet()) perHost.put(h, GuestConsole.mark(layout.serialLog(h, vm)));
            marks.put(vm, perHost);
        }
        return marks;
    }

    private List<String> verify(Map<String, String> placement, Map<String, String> endedOn, PlanView plan,
                                Map<String, Map<String, GuestConsole.Mark>> marks) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : endedOn.entrySet()) {
            String vm = e.getKey(), to = e.getValue(), from = placement.get(vm);
            GuestConsole.Mark mark = marks.get(vm).get(to);
            if (from.equals(to)) {
                lines.addAll(GuestCheck.stayed(vm, services.agent(to), to, layout.serialLog(to, vm), mark));
                continue;
            }
            PlanItemView item = EvacuationReport.find(plan, vm);
            Long heartbeat = null;
            if (item != null && item.migrationId() != null) {
                MigrationView m = services.controllerClient().migration(item.migrationId());
                heartbeat = m.result() == null ? null : m.result().heartbeatBefore();
            }
            lines.addAll(GuestCheck.afterMove(vm, services.agent(from), services.agent(to), from, to, layout.serialLog(to, vm), mark,
                    heartbeat));
        }
        return lines;
    }

    private LabException failed(PlanView plan) {
        for (PlanItemView i : plan.items()) say.accept("  " + EvacuationReport.progress(i));
        return new LabException("plan " + plan.id() + " " + plan.state()
                + (plan.errorMessage() == null ? "" : ": " + plan.errorMessage()));
    }
}

package dev.ferry.cli.lab;

import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationRequest;
import dev.ferry.api.migration.MigrationResult;
import dev.ferry.api.migration.MigrationView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One live migration of a demo guest, the way a user would do it: through the controller's API
 * (TLS on), followed with the CLI's progress view, then checked by {@link GuestCheck}. A migration
 * that does not end within {@link #LIMIT} is aborted, so the demo always ends.
 */
public final class MigrationRound {
    static final Duration LIMIT = Duration.ofMinutes(10);

    /** The outcome of one round, for the summary table. */
    public record Result(int round, String from, String to, String id, MigrationResult result, List<String> verified, String vm) {
        public Result(int round, String from, String to, String id, MigrationResult result, List<String> verified) {
            this(round, from, to, id, result, verified, DemoGuest.VM);
        }
    }

    private final LabServices.Running services;
    private final LabLayout layout;
    private final MigrationFollower follower;
    private final Consumer<String> say;

    public MigrationRound(LabServices.Running services, LabLayout layout, MigrationFollower follower, Consumer<String> say) {
        this.services = services;
        this.layout = layout;
        this.follower = follower;
        this.say = say;
    }

    public Result run(int round, String from, String to, Integer maxDowntimeMs, Integer bandwidthMiBps) {
        return run(DemoGuest.VM, round, from, to, maxDowntimeMs, bandwidthMiBps);
    }

    public Result run(String vm, int round, String from, String to, Integer maxDowntimeMs, Integer bandwidthMiBps) {
        GuestConsole.Mark before = GuestConsole.mark(layout.serialLog(to, vm));
        ControllerClient controller = services.controllerClient();
        MigrationView started = controller.startMigration(new MigrationRequest(vm, to, maxDowntimeMs, bandwidthMiBps, null));
        say.accept("round " + round + ": migrating " + vm + " " + from + " -> " + to + " (migration " + started.id()
                + ", TLS" + (bandwidthMiBps == null ? "" : ", " + bandwidthMiBps + " MiB/s") + ")");
        follow(controller, started.id());
        MigrationView done = controller.migration(started.id());
        if (!"succeeded".equals(done.state())) throw failed(done);
        List<String> verified = GuestCheck.afterMove(vm, services.agent(from), services.agent(to), from, to,
                layout.serialLog(to, vm), before, done.result() == null ? null : done.result().heartbeatBefore());
        for (String line : verified) say.accept("verified: " + line);
        return new Result(round, from, to, done.id(), done.result(), verified, vm);
    }

    private void follow(ControllerClient controller, String id) {
        FutureTask<Integer> task = new FutureTask<>(() -> follower.follow(controller, id));
        Thread t = new Thread(task, "demo-follow");
        t.setDaemon(true);
        t.start();
        try {
            task.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            controller.abort(id);
            throw new LabException("migration " + id + " did not finish within " + LIMIT.toMinutes() + " minutes; aborted it");
        } catch (ExecutionException e) {
            // the view lost its stream; the migration's own record below says how it ended
            awaitFinished(controller, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while migrating");
        }
    }

    private static void awaitFinished(ControllerClient controller, String id) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!controller.migration(id).isFinished() && System.nanoTime() < deadline) ProcessTools.sleep(500);
    }

    private LabException failed(MigrationView v) {
        List<MigrationEvent> events = v.events() == null ? List.of() : v.events();
        for (MigrationEvent e : events.subList(Math.max(0, events.size() - 8), events.size())) {
            say.accept("  event: " + e.kind() + "  " + e.message());
        }
        return new LabException("migration " + v.id() + " " + v.state() + " in phase " + v.phase() + ": "
                + (v.errorMessage() == null ? "(no error message)" : v.errorMessage()) + (v.errorCode() == null ? "" : " [" + v.errorCode() + "]"));
    }
}

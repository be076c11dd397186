package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.assess.Finding;
import dev.ferry.api.client.PlanClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import dev.ferry.api.plan.PlanItemView;
import dev.ferry.api.plan.PlanView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry plan ...}: migration plans (docs/plans.md): create, validate, run and report them. */
@Command(name = "plan", description = "Create, validate, run, pause, resume, abort and report migration plans.",
        subcommands = {PlanCommand.Create.class, PlanCommand.Validate.class, PlanCommand.ListPlans.class, PlanCommand.Show.class,
                PlanCommand.Run.class, PlanCommand.Pause.class, PlanCommand.Resume.class, PlanCommand.Abort.class,
                PlanCommand.Report.class})
final class PlanCommand {

    static PlanClient plans(ClientOptions o) { return new PlanClient(HostCommand.controller(o)); }

    /** The plan file's YAML as a tree; an unreadable file is INVALID_PLAN naming it. */
    static JsonNode document(Path file) {
        try {
            return Json.yaml().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INVALID_PLAN, "cannot read plan file " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Prints a plan: header, then one row per VM with predicted and (once run) measured figures. */
    static void print(ClientOptions client, PlanView p) {
        Output.print(client.json(), p, () -> table(p));
    }

    private static void table(PlanView p) {
        System.out.printf("plan %s '%s': %s, on failure %s, predicted total %s%s%n", p.id() == null ? "(not stored)" : p.id(), p.name(),
                p.state(), p.onFailure(), seconds(p.predictedTotalMs()), p.errorMessage() == null ? "" : "\n" + p.errorMessage());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("VM", "WAVE", "FROM", "TO", "MODE", "STATE", "DURATION", "DOWNTIME", "MIB", "MIGRATION", "NOTE"));
        for (PlanItemView i : p.items()) {
            rows.add(List.of(i.vm(), String.valueOf(i.wave()), i.source(), i.destination(), i.mode(), i.state(),
                    pair(seconds(i.predicted() == null ? null : i.predicted().totalMs()), i.measured() == null ? null : seconds(i.measured().totalMs())),
                    pair(ms(i.predicted() == null ? null : i.predicted().downtimeMs()), i.measured() == null ? null : ms(i.measured().downtimeMs())),
                    pair(mib(i.predicted() == null ? null : i.predicted().bytes()), i.measured() == null ? null : mib(i.measured().bytes())),
                    i.migrationId() == null ? "-" : i.migrationId(), i.error() == null ? "" : i.error()));
        }
        Output.table(System.out, rows);
        System.out.println("(figures: predicted, or predicted / measured once moved)");
        for (Finding f : p.findings()) System.out.println(f.severity() + " " + f.code() + ": " + f.message());
    }

    private static String pair(String predicted, String measured) {
        return measured == null || measured.equals("-") ? predicted : predicted + " / " + measured;
    }

    static String seconds(Long ms) { return ms == null ? "-" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0); }

    private static String ms(Long ms) { return ms == null ? "-" : ms + "ms"; }

    private static String mib(Long b) { return b == null ? "-" : String.format(Locale.ROOT, "%.0f", b / 1048576.0); }

    @Command(name = "create", description = "Create and validate a plan from FILE (YAML); refused with every VM's blockers.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            JsonNode doc = document(file);
            print(client, plans(client).create(doc));
            return 0;
        }
    }

    @Command(name = "validate", description = "Validate FILE without storing it: findings, predictions and the ETA.")
    static final class Validate implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            JsonNode doc = document(file);
            PlanView p = plans(client).validate(doc);
            print(client, p);
            return "valid".equals(p.state()) ? 0 : ErrorCode.ASSESSMENT_BLOCKED.exitCode();
        }
    }

    @Command(name = "list", description = "List plans, newest first.")
    static final class ListPlans implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            List<PlanView> all = plans(client).list();
            if (client.json()) {
                Output.json(System.out, all);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "NAME", "STATE", "VMS", "ETA", "CREATED"));
            for (PlanView p : all) {
                rows.add(List.of(p.id(), p.name(), p.state(), String.valueOf(p.items().size()), seconds(p.predictedTotalMs()),
                        String.valueOf(p.createdAt())));
            }
            Output.table(System.out, rows);
            return 0;
        }
    }

    /**
     * The verbs that take one PLAN, ask the controller to do one thing with it and print the plan
     * as it then stands (show, run, pause, resume, abort); each names only its call.
     */
    abstract static class PlanAction implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "PLAN")
        String id;

        abstract PlanView act(PlanClient plans, String id);

        @Override
        public Integer call() {
            print(client, act(plans(client), id));
            return 0;
        }
    }

    @Command(name = "show", description = "Show a plan: per VM predicted (and measured) duration, downtime and bytes, and the ETA.")
    static final class Show extends PlanAction {
        @Override
        PlanView act(PlanClient plans, String id) { return plans.show(id); }
    }

    @Command(name = "run", description = "Run a validated plan.")
    static final class Run extends PlanAction {
        @Override
        PlanView act(PlanClient plans, String id) { return plans.run(id); }
    }

    @Command(name = "pause", description = "Pause a running plan: start nothing new; running migrations go on.")
    static final class Pause extends PlanAction {
        @Override
        PlanView act(PlanClient plans, String id) { return plans.pause(id); }
    }

    @Command(name = "resume", description = "Resume a paused plan.")
    static final class Resume extends PlanAction {
        @Override
        PlanView act(PlanClient plans, String id) { return plans.resume(id); }
    }

    @Command(name = "abort", description = "Abort a plan: abort its running migrations and start nothing more.")
    static final class Abort extends PlanAction {
        @Override
        PlanView act(PlanClient plans, String id) { return plans.abort(id); }
    }

    @Command(name = "report", description = "Write the plan's report.md, report.html and chart.png into DIR.")
    static final class Report implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "PLAN")
        String id;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write the report into")
        Path out;

        @Override
        public Integer call() throws IOException {
            PlanClient c = plans(client);
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), c.report(id, "markdown"));
            Files.writeString(out.resolve("report.html"), c.report(id, "html"));
            Files.write(out.resolve("chart.png"), c.chart(id));
            System.out.println("wrote " + out.resolve("report.md") + ", " + out.resolve("report.html") + ", " + out.resolve("chart.png"));
            return 0;
        }
    }
}

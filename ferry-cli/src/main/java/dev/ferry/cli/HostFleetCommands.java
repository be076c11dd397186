package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.assess.Recommendation;
import dev.ferry.api.client.FleetClient;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.LinkMeasurement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The fleet-operation verbs under {@code ferry host}: maintenance mode, link probes and destination
 * recommendations. Kept apart from {@link HostCommand}'s inventory verbs so each file stays small.
 */
final class HostFleetCommands {
    private HostFleetCommands() {}

    static FleetClient fleet(ClientOptions o) { return FleetClient.of(HostCommand.controller(o)); }

    @Command(name = "maintenance", description = {"Put a host into maintenance (on) or take it out (off).",
            "A host in maintenance takes no incoming migrations and is never recommended; its agent refuses new VMs."})
    static final class MaintenanceCmd implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "on|off")
        String state;

        @Parameters(index = "1", paramLabel = "HOST")
        String host;

        @Option(names = "--reason", description = "why (shown with the refusals)")
        String reason;

        @Override
        public Integer call() {
            boolean json = client.json();
            if (!state.equals("on") && !state.equals("off")) {
                throw new FerryException(ErrorCode.INVALID_ARGUMENT, "maintenance takes on or off, not '" + state + "'");
            }
            JsonNode s = fleet(client).maintenance(host, state.equals("on"), reason);
            Output.print(json, s, () -> System.out.println(host + ": maintenance "
                    + (s.path("enabled").asBoolean() ? "on since " + s.path("since").asText() : "off")
                    + (s.path("agentInformed").asBoolean(false) ? "" : " (the agent was not told; the controller refuses anyway)")));
            return 0;
        }
    }

    @Command(name = "probe", description = {"Measure the migration network from host A to host B: goodput, RTT and loss.",
            "Goodput: plain TCP from A's agent to B's migration address for 2 s (the path QEMU's stream takes);"
                    + " RTT: mean of 20 one-byte TCP round trips; loss: unanswered ICMP echo requests of 20. Stored by the controller."})
    static final class Probe implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "A")
        String from;

        @Parameters(index = "1", paramLabel = "B")
        String to;

        @Override
        public Integer call() {
            boolean json = client.json();
            LinkMeasurement m = fleet(client).probe(from, to);
            Output.print(json, m, () -> links(List.of(m)));
            return 0;
        }
    }

    @Command(name = "recommend", description = "Rank the destinations for a VM, best first, with the reasons; blocked hosts last with score 0.")
    static final class Recommend implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            boolean json = client.json();
            List<Recommendation> list = fleet(client).recommend(vm);
            if (json) {
                Output.json(System.out, list);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("HOST", "SCORE", "REASONS"));
            for (Recommendation r : list) {
                rows.add(List.of(r.host(), String.format("%.1f", r.score()), r.reasons().isEmpty() ? "-" : r.reasons().get(0)));
                for (String reason : r.reasons().subList(Math.min(1, r.reasons().size()), r.reasons().size())) rows.add(List.of("", "", reason));
            }
            if (list.isEmpty()) System.out.println("no other host is registered");
            else Output.table(System.out, rows);
            return 0;
        }
    }

    static void links(List<LinkMeasurement> list) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("FROM", "TO", "GOODPUT-MIB/S", "RTT-MS", "LOSS-%", "AT"));
        for (LinkMeasurement m : list) {
            rows.add(List.of(m.from(), m.to(), String.format("%.1f", m.goodputMiBps()), String.format("%.3f", m.rttMs()),
                    String.format("%.0f", m.lossPercent()), String.valueOf(m.at())));
        }
        Output.table(System.out, rows);
    }
}

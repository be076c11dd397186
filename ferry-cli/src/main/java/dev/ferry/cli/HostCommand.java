package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.client.ControllerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ferry host ...}: the hosts registered with the controller. */
@Command(name = "host", description = "List, show and register hosts; maintenance mode, link probes, destination recommendations, evacuation.",
        subcommands = {HostCommand.ListHosts.class, HostCommand.Show.class, HostCommand.Add.class,
                HostFleetCommands.MaintenanceCmd.class, HostFleetCommands.Probe.class, HostFleetCommands.Recommend.class,
                HostEvacuateCommand.class})
final class HostCommand {

    static ControllerClient controller(ClientOptions o) { return new ControllerClient(o.ssl(), o.serverUri()); }

    @Command(name = "list", description = "List registered hosts.")
    static final class ListHosts implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            List<JsonNode> hosts = controller(client).hosts();
            if (client.json()) {
                Output.json(System.out, hosts);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("NAME", "STATUS", "URL", "MIGRATION-ADDRESS", "QEMU", "ACCEL"));
            for (JsonNode h : hosts) {
                rows.add(List.of(h.path("name").asText(), h.path("status").asText(), h.path("url").asText(),
                        h.path("migrationAddress").asText(), h.path("qemuVersion").asText(), h.path("accelerator").asText()));
            }
            Output.table(System.out, rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a host: its inventory, maintenance state and the newest link measurements.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client.json();
            ControllerClient c = controller(client);
            com.fasterxml.jackson.databind.node.ObjectNode h = (com.fasterxml.jackson.databind.node.ObjectNode) c.host(name);
            dev.ferry.api.client.FleetClient fleet = dev.ferry.api.client.FleetClient.of(c);
            h.set("maintenance", fleet.maintenance(name));
            h.set("links", dev.ferry.api.json.Json.mapper().valueToTree(fleet.links(name)));
            Output.json(System.out, h);
            return 0;
        }
    }

    @Command(name = "add", description = "Register the agent at URL as host NAME.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL")
        String url;

        @Override
        public Integer call() {
            client.json();
            JsonNode h = controller(client).registerHost(name, url);
            System.out.println("registered " + h.path("name").asText() + " (" + h.path("fingerprint").asText() + ")");
            return 0;
        }
    }
}

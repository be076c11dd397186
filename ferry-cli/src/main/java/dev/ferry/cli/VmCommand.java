package dev.ferry.cli;

import dev.ferry.api.client.AgentClient;
import dev.ferry.api.spec.SpecReader;
import dev.ferry.api.vm.StopRequest;
import dev.ferry.api.vm.VmInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry vm ...}: manage the VMs of one agent. */
@Command(name = "vm", description = "Define, start, stop and inspect VMs on an agent.",
        subcommands = {VmCommand.Define.class, VmCommand.Start.class, VmCommand.Stop.class, VmCommand.Kill.class,
                VmCommand.Pause.class, VmCommand.Resume.class, VmCommand.Show.class, VmCommand.ListVms.class,
                VmCommand.Delete.class, VmStorageCommands.Disks.class, VmStorageCommands.MoveDisk.class,
                VmStorageCommands.Clone.class, VmStorageCommands.Template.class, VmStorageCommands.Deploy.class})
final class VmCommand {

    static void print(ClientOptions client, List<VmInfo> vms) {
        if (client.json()) {
            Output.json(System.out, vms);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "HOST", "STATE", "VCPUS", "MEMORY", "PID"));
        for (VmInfo v : vms) {
            rows.add(List.of(v.name(), v.host(), v.state().json(), String.valueOf(v.spec().vcpus()),
                    v.spec().memoryMiB() + " MiB", v.pid() == null ? "-" : String.valueOf(v.pid())));
        }
        Output.table(System.out, rows);
    }

    /** Base of the verbs that act on one named VM and print it. */
    abstract static class OneVm implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        abstract VmInfo act(AgentClient agent, String name);

        @Override
        public Integer call() {
            client.json();
            print(client, List.of(act(client.agentClient(), name)));
            return 0;
        }
    }

    @Command(name = "define", description = "Define a VM from a YAML or JSON spec file.")
    static final class Define implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "SPEC")
        Path file;

        @Override
        public Integer call() {
            client.json();
            print(client, List.of(client.agentClient().define(SpecReader.read(file))));
            return 0;
        }
    }

    @Command(name = "start", description = "Start a defined VM.")
    static final class Start extends OneVm {
        VmInfo act(AgentClient a, String n) { return a.start(n); }
    }

    @Command(name = "stop", description = "Shut a VM down: ACPI power button, then force after --timeout.")
    static final class Stop extends OneVm {
        @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for the guest (default 60)")
        int timeout;

        @Option(names = "--force", description = "kill at once, without asking the guest")
        boolean force;

        VmInfo act(AgentClient a, String n) { return a.stop(n, new StopRequest(timeout, force)); }
    }

    @Command(name = "kill", description = "Kill a VM's QEMU process at once.")
    static final class Kill extends OneVm {
        VmInfo act(AgentClient a, String n) { return a.kill(n); }
    }

    @Command(name = "pause", description = "Pause a running VM.")
    static final class Pause extends OneVm {
        VmInfo act(AgentClient a, String n) { return a.pause(n); }
    }

    @Command(name = "resume", description = "Resume a paused VM.")
    static final class Resume extends OneVm {
        VmInfo act(AgentClient a, String n) { return a.resume(n); }
    }

    @Command(name = "show", description = "Show one VM.")
    static final class Show extends OneVm {
        VmInfo act(AgentClient a, String n) { return a.show(n); }

        @Override
        public Integer call() {
            VmInfo v = client.agentClient().show(name);
            if (client.json()) {
                Output.json(System.out, v);
            } else {
                print(client, List.of(v));
                System.out.println();
                Output.json(System.out, v.spec());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List VMs: cluster-wide from the controller when one is configured, else one agent's.")
    static final class ListVms implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            boolean json = client.json();
            if (!client.prefersAgent()) {
                List<com.fasterxml.jackson.databind.JsonNode> vms = HostCommand.controller(client).vms();
                if (json) {
                    Output.json(System.out, vms);
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("NAME", "HOST", "STATE"));
                vms.forEach(v -> rows.add(List.of(v.path("name").asText(), v.path("host").asText(), v.path("state").asText())));
                Output.table(System.out, rows);
                return 0;
            }
            print(client, client.agentClient().list());
            return 0;
        }
    }

    @Command(name = "delete", description = "Undefine a stopped VM (its disk images are kept).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client.agentClient().delete(name);
            System.out.println("deleted " + name);
            return 0;
        }
    }

}

package dev.ferry.cli;

import dev.ferry.api.client.StorageClient;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.storage.CloneRequest;
import dev.ferry.api.storage.DiskInfo;
import dev.ferry.api.storage.MoveDiskRequest;
import dev.ferry.api.storage.MoveDiskResult;
import dev.ferry.api.storage.VmDisks;
import dev.ferry.api.vm.VmInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The storage verbs of {@code ferry vm}, run by the VM's agent: list disks, move a disk to another
 * pool (live if the VM runs), clone, mark as template, deploy from a template.
 */
final class VmStorageCommands {
    private VmStorageCommands() {}

    static StorageClient storage(ClientOptions o) { return StorageClient.of(o.agentClient()); }

    static void printDisks(ClientOptions client, VmDisks d) {
        Output.print(client.json(), d, () -> disksTable(d));
    }

    private static void disksTable(VmDisks d) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("DISK", "FORMAT", "POOL", "VIRTUAL", "ALLOCATED", "PATH", "BACKING"));
        for (DiskInfo i : d.disks()) {
            rows.add(java.util.Arrays.asList(i.id(), i.format().json(), i.pool(), mib(i.virtualSize()), mib(i.actualSize()), i.path(),
                    i.backingFile()));
        }
        Output.table(System.out, rows);
        if (d.template()) System.out.println(d.vm() + " is a template");
    }

    private static String mib(long bytes) { return (bytes >> 20) + " MiB"; }

    @Command(name = "disks", description = "Show a VM's disks: format, pool, sizes, backing file.")
    static final class Disks implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            printDisks(client, storage(client).disks(vm));
            return 0;
        }
    }

    @Command(name = "move-disk", description = "Move a VM's disk to another storage pool of its host, live if the VM runs"
            + " (mirror, then pivot); the old image is deleted once the guest works on the new one.")
    static final class MoveDisk implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "DISK", description = "the disk's id in the VM spec")
        String disk;

        @Option(names = "--pool", required = true, description = "the pool to move to")
        String pool;

        @Option(names = "--format", description = "raw or qcow2 (default: keep)")
        String format;

        @Override
        public Integer call() {
            boolean json = client.json();
            MoveDiskResult r = storage(client).moveDisk(vm, disk,
                    new MoveDiskRequest(pool, format == null ? null : DiskFormat.parse(format)));
            Output.print(json, r, () -> printMove(r));
            return 0;
        }

        private void printMove(MoveDiskResult r) {
            System.out.printf("moved disk %s of %s%s in %d ms: %s (%s) -> %s (%s)%n", disk, vm, r.live() ? " live" : "",
                    r.durationMs(), r.before().path(), r.before().format().json(), r.after().path(), r.after().format().json());
            System.out.println(r.oldImageDeleted() ? "old image deleted" : r.note());
        }
    }

    @Command(name = "clone", description = "Clone a VM, stopped or running (one consistent point in time), with a new"
            + " identity (uuid, MACs, name).")
    static final class Clone implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "SRC")
        String source;

        @Parameters(index = "1", paramLabel = "NEW")
        String name;

        @Option(names = "--linked", description = "qcow2 overlays on the source's images (which become read-only bases)")
        boolean linked;

        @Option(names = "--pool", description = "pool for the clone's images (default: the source disk's pool)")
        String pool;

        @Override
        public Integer call() {
            client.json();
            VmInfo v = storage(client).clone(source, new CloneRequest(name, linked, pool));
            VmCommand.print(client, List.of(v));
            return 0;
        }
    }

    @Command(name = "template", description = "Mark a stopped VM as a template: it is never started again, new VMs are"
            + " deployed from it.")
    static final class Template implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            printDisks(client, storage(client).markTemplate(vm));
            return 0;
        }
    }

    @Command(name = "deploy", description = "Define a new VM from a template (full copy, or linked with --linked).")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "TEMPLATE")
        String template;

        @Parameters(index = "1", paramLabel = "NEW")
        String name;

        @Option(names = "--linked", description = "qcow2 overlays on the template's images instead of full copies")
        boolean linked;

        @Option(names = "--pool", description = "pool for the new VM's images (default: the template disk's pool)")
        String pool;

        @Override
        public Integer call() {
            client.json();
            VmInfo v = storage(client).deploy(template, new CloneRequest(name, linked, pool));
            VmCommand.print(client, List.of(v));
            return 0;
        }
    }
}

package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.client.ControllerClient;
import dev.ferry.api.client.JsonHttp;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.migration.MigrationEvent;
import dev.ferry.api.migration.MigrationView;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.Firmware;
import dev.ferry.imports.ImportOptions;
import dev.ferry.imports.api.ImportRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ferry import PATH --host HOST}: brings a VMware, OVF/OVA, VirtualBox, Hyper-V or bare-disk
 * VM onto a host as a controller job, follows its progress and prints the import report. PATH
 * must be readable by the target host's agent.
 */
@Command(name = "import", description = "Import a VM from VMware (.vmx), OVF/OVA, VirtualBox (.vbox), Hyper-V or a bare disk.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "PATH", description = "source path as the target host's agent sees it")
    String path;

    @Option(names = "--host", required = true, description = "target host")
    String host;

    @Option(names = "--network-map", paramLabel = "SRC=DST", description = "map a source network to a host network; *=DST maps all others")
    Map<String, String> networkMap = new LinkedHashMap<>();

    @Option(names = "--name", description = "name of the new VM (default: the source's)")
    String name;

    @Option(names = "--start", description = "start the VM once imported")
    boolean start;

    @Option(names = "--format", description = "disk format in the pool: qcow2 (default) or raw")
    String format;

    @Option(names = "--pool", description = "storage pool on the host (default: its first)")
    String pool;

    @Option(names = "--cpus", description = "vCPUs (bare disks; overrides the source otherwise)")
    Integer cpus;

    @Option(names = "--memory", description = "memory in MiB (bare disks; overrides the source otherwise)")
    Integer memory;

    @Option(names = "--firmware", description = "bios or uefi (bare disks)")
    String firmware;

    @Option(names = "--generation", description = "Hyper-V generation of a bare VHD/VHDX: 1 = BIOS, 2 = UEFI")
    Integer generation;

    @Option(names = "--os-type", description = "guest OS type of a bare disk, e.g. linux or windows")
    String osType;

    @Option(names = "--virtio", description = "yes, no or auto (default): paravirtual devices for the guest")
    String virtio;

    @Option(names = "--allow-no-manifest", description = "import an OVF/OVA without a manifest (its files are not verified)")
    boolean allowNoManifest;

    @Option(names = "--dry-run", description = "show the spec and report, import nothing")
    boolean dryRun;

    @Option(names = "--detach", description = "return once the job has started")
    boolean detach;

    @Override
    public Integer call() {
        boolean json = client.json();
        ImportOptions o = new ImportOptions(name, networkMap, format == null ? null : DiskFormat.parse(format),
                virtio == null ? null : ImportOptions.Virtio.parse(virtio), cpus, memory, firmware == null ? null : Firmware.parse(firmware),
                generation, osType, null, allowNoManifest ? Boolean.TRUE : null, null);
        ImportRequest req = new ImportRequest(path, pool, o, start ? Boolean.TRUE : null, dryRun ? Boolean.TRUE : null, host);
        JsonHttp http = http(client);
        if (dryRun) {
            Output.json(System.out, http.post("/v1/imports", req, Duration.ofMinutes(30), JsonNode.class));
            return 0;
        }
        MigrationView v = http.post("/v1/imports", req, Duration.ofMinutes(30), MigrationView.class);
        return follow(client, v, detach);
    }

    static JsonHttp http(ClientOptions client) {
        return new JsonHttp(client.ssl(), client.serverUri(), "controller " + client.serverUri().getAuthority(),
                ErrorCode.SERVER_UNREACHABLE, Duration.ofSeconds(60));
    }

    /** Follows a job like a migration and prints its report; a failed job ends as its error (one line, its exit code). */
    static int follow(ClientOptions client, MigrationView v, boolean detach) {
        boolean json = client.json();
        if (detach) {
            if (json) Output.json(System.out, v);
            else System.out.println(v.mode() + " " + v.id() + " started: " + v.vm() + " on " + v.destination());
            return 0;
        }
        ControllerClient c = HostCommand.controller(client);
        int exit = ProgressView.follow(c, v.id(), json);
        MigrationView done = c.migration(v.id());
        List<MigrationEvent> report = done.events() == null ? List.of() : done.events().stream().filter(e -> e.kind().equals("report")).toList();
        if (!json) report.forEach(e -> System.out.println(e.message().replace("; ", "\n  ")));
        if (exit != 0 && done.errorCode() != null) {
            throw new FerryException(ErrorCode.fromName(done.errorCode()), done.errorMessage());
        }
        return exit;
    }
}

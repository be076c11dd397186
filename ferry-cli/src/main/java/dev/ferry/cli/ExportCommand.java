package dev.ferry.cli;

import dev.ferry.api.migration.MigrationView;
import dev.ferry.imports.api.ExportRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry export VM --format ova|vhdx --out PATH}: writes a stopped VM for VMware/VirtualBox (OVA) or Hyper-V (VHDX), as a controller job. */
@Command(name = "export", description = "Export a stopped VM to an OVA (VMware, VirtualBox) or to VHDX disks (Hyper-V).")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Option(names = "--format", required = true, description = "ova or vhdx")
    String format;

    @Option(names = "--out", required = true, description = "ova: the new .ova file; vhdx: an existing folder (paths on the VM's host)")
    String out;

    @Option(names = "--detach", description = "return once the job has started")
    boolean detach;

    @Override
    public Integer call() {
        client.json();
        MigrationView v = ImportCommand.http(client).post("/v1/exports", new ExportRequest(vm, format, out), MigrationView.class);
        return ImportCommand.follow(client, v, detach);
    }
}

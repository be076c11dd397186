package dev.ferry.imports.api;

import dev.ferry.imports.ImportOptions;

/**
 * Body of an agent's {@code POST /v1/imports} (and, with {@code host}, of the controller's).
 *
 * @param sourcePath a path the agent of the target host can read: a .vmx, .ovf, .ova, .vbox, Hyper-V
 *                   export folder or XML, or a bare disk image
 * @param pool       the storage pool to convert into (default: the host's first pool)
 * @param start      start the VM once it is defined
 * @param dryRun     only read, map and inspect: answer the spec and report, convert nothing
 * @param host       the target host (controller only)
 */
public record ImportRequest(String sourcePath, String pool, ImportOptions options, Boolean start, Boolean dryRun, String host) {
    public ImportOptions optionsOrDefault() { return options == null ? ImportOptions.defaults() : options; }

    public boolean isStart() { return Boolean.TRUE.equals(start); }

    public boolean isDryRun() { return Boolean.TRUE.equals(dryRun); }
}

package dev.ferry.imports.api;

/**
 * Body of {@code POST /v1/vms/NAME/export} (agent) and {@code POST /v1/exports} (controller, with {@code vm}).
 *
 * @param format ova or vhdx
 * @param out    ova: the new .ova file; vhdx: an existing folder for {@code VM-DISKID.vhdx}
 */
public record ExportRequest(String vm, String format, String out) {}

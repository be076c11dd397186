package dev.ferry.imports;

import dev.ferry.imports.model.ImportNote;
import java.util.List;

/**
 * What an import did, for the operator: where the VM came from, every note (settings changed or
 * not mapped), and per disk what was converted into what and whether {@code qemu-img compare}
 * found source and target identical.
 */
public record ImportReport(String sourceKind, String sourcePath, String sourceName, String vm, boolean virtio,
                           List<DiskResult> disks, List<ImportNote> notes) {

    /** One converted disk. {@code identical} is null until compared. */
    public record DiskResult(String id, String source, String sourceFormat, long virtualBytes, String target, String targetFormat,
                             Long allocatedBytes, Long millis, Boolean identical) {}

    public ImportReport {
        disks = disks == null ? List.of() : List.copyOf(disks);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public ImportReport withDisks(List<DiskResult> d) { return new ImportReport(sourceKind, sourcePath, sourceName, vm, virtio, d, notes); }
}

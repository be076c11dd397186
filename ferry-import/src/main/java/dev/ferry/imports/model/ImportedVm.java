package dev.ferry.imports.model;

import dev.ferry.api.spec.Firmware;
import java.util.List;

/**
 * A source VM as the readers understand it, independent of where it came from (VMX, OVF, .vbox,
 * Hyper-V XML or a bare disk): the neutral form between "parse a foreign format" and "decide the
 * QEMU devices". Nullable fields are ones the source did not say; the mapper fills them from
 * options or defaults and says so in the report.
 *
 * @param osType the source's guest OS identifier as written (e.g. {@code ubuntu-64}, {@code Windows2019_64},
 *               CIM OS id {@code 101}); the mapper decides from it whether the guest has virtio drivers
 */
public record ImportedVm(SourceKind kind, String name, Integer cpus, Integer coresPerSocket, Integer memoryMiB,
                         Firmware firmware, boolean secureBoot, String osType, List<ImportedDisk> disks,
                         List<ImportedNic> nics, List<ImportNote> notes) {
    public ImportedVm {
        disks = disks == null ? List.of() : List.copyOf(disks);
        nics = nics == null ? List.of() : List.copyOf(nics);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}

package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.Firmware;
import dev.ferry.imports.ImportOptions;
import dev.ferry.imports.model.ControllerType;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.model.ImportedDisk;
import dev.ferry.imports.model.ImportedVm;
import dev.ferry.imports.model.SourceKind;
import dev.ferry.imports.safety.ImportFolder;
import dev.ferry.qemu.img.ImageFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare disk image (raw, qcow2, or a VHD/VHDX/VMDK/VDI without its VM description) with the
 * operator's flags standing in for the missing description: CPUs, memory, firmware or Hyper-V
 * generation (2 = UEFI), OS type. The format comes from the file's magic bytes; a VMDK descriptor
 * is checked like any other.
 */
public final class DiskOnlyReader {
    private DiskOnlyReader() {}

    public static ImportedVm read(Path disk, ImportFolder folder, ImportOptions o) {
        Path file = folder.file(disk.getFileName().toString(), "import path");
        ImageFormat format = DiskMagic.detect(file);
        if (format == ImageFormat.VMDK) VmdkDescriptor.inspect(file, folder);
        List<ImportNote> notes = new ArrayList<>();
        if (o.cpus() == null) notes.add(ImportNote.info("cpus", "not given for a bare disk; 1 vCPU"));
        if (o.memoryMiB() == null) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a bare disk has no VM description: give the memory (--memory MiB)");
        }
        Firmware fw = o.firmware() != null ? o.firmware() : o.generation() != null && o.generation() == 2 ? Firmware.UEFI : Firmware.BIOS;
        if (o.firmware() != null && o.generation() != null && (o.generation() == 2) != (o.firmware() == Firmware.UEFI)) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "generation " + o.generation() + " contradicts firmware " + o.firmware().json()
                    + " (generation 2 is UEFI, 1 is BIOS)");
        }
        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        String os = o.osType() != null ? o.osType() : o.generation() != null ? "hyperv-generation-" + o.generation() : null;
        ControllerType ctrl = o.generation() != null && o.generation() == 2 ? ControllerType.HYPERV_SCSI : ControllerType.SATA;
        ImportedDisk d = new ImportedDisk("disk", ctrl, 0, 0, file, format, null);
        return new ImportedVm(SourceKind.DISK, name, o.cpus() == null ? 1 : o.cpus(), null, o.memoryMiB(), fw, false, os,
                List.of(d), List.of(), notes);
    }
}

package dev.ferry.imports.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The disk controller a source VM attached a disk to, in the source's own terms. The mapper turns
 * it into a QEMU bus; keeping the source's controller lets the report say what changed (e.g.
 * "pvscsi became sata").
 */
public enum ControllerType {
    IDE, SATA, LSILOGIC, LSILOGIC_SAS, BUSLOGIC, PVSCSI, NVME, HYPERV_SCSI, VIRTIO, UNKNOWN;

    @JsonValue
    public String json() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}

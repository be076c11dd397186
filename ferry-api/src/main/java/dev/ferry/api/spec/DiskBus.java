package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The guest-visible controller a disk hangs off. */
public enum DiskBus {
    VIRTIO_BLK, VIRTIO_SCSI, SATA, IDE;

    @JsonValue
    public String json() { return SpecEnums.json(this); }

    @JsonCreator
    public static DiskBus parse(String s) { return SpecEnums.parse(DiskBus.class, s, "bus"); }
}

package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Disk image formats Ferry opens. Anything else is refused rather than probed. */
public enum DiskFormat {
    RAW, QCOW2;

    @JsonValue
    public String json() { return SpecEnums.json(this); }

    @JsonCreator
    public static DiskFormat parse(String s) { return SpecEnums.parse(DiskFormat.class, s, "format"); }
}

package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Host page-cache mode of a disk, as QEMU defines it. */
public enum CacheMode {
    NONE, WRITEBACK, WRITETHROUGH, DIRECTSYNC, UNSAFE;

    @JsonValue
    public String json() { return SpecEnums.json(this); }

    @JsonCreator
    public static CacheMode parse(String s) { return SpecEnums.parse(CacheMode.class, s, "cache"); }
}

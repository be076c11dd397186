package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Host page-cache mode of a disk, as QEMU defines it. */
public enum CacheMode {
    NONE, WRITEBACK, WRITETHROUGH, DIRECTSYNC, UNSAFE;

    /** Bypass the host page cache (O_DIRECT). */
    public boolean direct() { return this == NONE || this == DIRECTSYNC; }

    /** Ignore guest flush requests. */
    public boolean noFlush() { return this == UNSAFE; }

    /** Guest-visible volatile write cache. */
    public boolean writeCache() { return this != WRITETHROUGH && this != DIRECTSYNC; }

    @JsonValue
    public String json() { return SpecEnums.json(this); }

    @JsonCreator
    public static CacheMode parse(String s) { return SpecEnums.parse(CacheMode.class, s, "cache"); }
}

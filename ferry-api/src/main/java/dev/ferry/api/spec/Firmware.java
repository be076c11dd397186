package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Guest firmware: SeaBIOS or OVMF (UEFI). */
public enum Firmware {
    BIOS, UEFI;

    @JsonValue
    public String json() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static Firmware parse(String s) { return SpecEnums.parse(Firmware.class, s, "firmware"); }
}

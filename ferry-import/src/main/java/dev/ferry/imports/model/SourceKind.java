package dev.ferry.imports.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an import path is: each kind has its own reader. Decided from content first, then the file name. */
public enum SourceKind {
    VMX, OVF, OVA, VBOX, HYPERV, DISK;

    @JsonValue
    public String json() { return name().toLowerCase(Locale.ROOT); }
}

package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The emulated network card model. */
public enum NicModel {
    VIRTIO, E1000, E1000E;

    @JsonValue
    public String json() { return SpecEnums.json(this); }

    @JsonCreator
    public static NicModel parse(String s) { return SpecEnums.parse(NicModel.class, s, "model"); }
}

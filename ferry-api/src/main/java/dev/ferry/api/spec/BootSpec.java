package dev.ferry.api.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * How the guest boots: either directly from a kernel (+ optional initrd and command line) or from
 * the disk whose id is {@code disk}. Exactly one of {@code kernel} and {@code disk} is set.
 */
public record BootSpec(String kernel, String initrd, String cmdline, String disk) {
    @JsonIgnore
    public boolean isDirectKernel() { return kernel != null; }
}

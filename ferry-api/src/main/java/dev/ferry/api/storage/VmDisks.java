package dev.ferry.api.storage;

import java.util.List;

/** The disks of one VM, and whether the VM is a template (never started; new VMs are deployed from it). */
public record VmDisks(String vm, String host, boolean template, List<DiskInfo> disks) {
    public VmDisks {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }
}

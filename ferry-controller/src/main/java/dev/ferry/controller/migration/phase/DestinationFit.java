package dev.ferry.controller.migration.phase;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.spec.VmSpec;

/**
 * The checks every mode makes of the destination before anything changes: its QEMU has the VM's
 * machine type and CPU model, and it has the VM's memory plus QEMU's own overhead available.
 * Live and cold validation differ in what they ask of the source, not in this.
 */
final class DestinationFit {
    static final long MEMORY_OVERHEAD_MIB = 64;

    private DestinationFit() {}

    static void require(HostInfo dst, VmSpec spec, String vm) {
        String machine = spec.machine() == null ? "q35" : spec.machine();
        check(dst.machineTypes().contains(machine), dst.name() + "'s QEMU has no machine type '" + machine + "'");
        String cpu = spec.cpuModel() == null ? "qemu64" : spec.cpuModel();
        check(dst.cpuModels().contains(cpu), dst.name() + "'s QEMU has no CPU model '" + cpu + "'");
        check(dst.memoryAvailableMiB() >= spec.memoryMiB() + MEMORY_OVERHEAD_MIB, dst.name() + " has "
                + dst.memoryAvailableMiB() + " MiB available; '" + vm + "' needs " + spec.memoryMiB() + " MiB");
    }

    private static void check(boolean ok, String why) {
        if (!ok) throw new FerryException(ErrorCode.INVALID_STATE, why);
    }
}

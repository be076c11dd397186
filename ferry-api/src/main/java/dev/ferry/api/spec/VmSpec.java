package dev.ferry.api.spec;

import java.util.List;

/**
 * The complete, host-independent description of a virtual machine. The QEMU launcher turns the same
 * spec into the same device layout every time, which is what lets a migration destination start an
 * identical machine. Paths are host paths; relative paths are not allowed.
 *
 * @param name      unique per cluster, [a-z0-9][a-z0-9-]{0,62}
 * @param uuid      SMBIOS uuid; generated at define time when absent
 * @param vcpus     1..64
 * @param memoryMiB 16..1048576
 * @param cpuModel  a QEMU CPU model name, e.g. {@code qemu64}; {@code host} only with KVM
 * @param machine   a QEMU machine type, e.g. {@code q35} or {@code pc}
 * @param firmware  bios or uefi
 * @param boot      direct kernel boot or boot from a disk
 * @param disks     block devices, in guest order
 * @param nics      network interfaces, in guest order
 * @param serialLog where the serial console is written; defaults to the agent's state directory
 */
public record VmSpec(
        String name,
        String uuid,
        Integer vcpus,
        Integer memoryMiB,
        String cpuModel,
        String machine,
        Firmware firmware,
        BootSpec boot,
        List<DiskSpec> disks,
        List<NicSpec> nics,
        String serialLog) {

    public VmSpec {
        disks = disks == null ? List.of() : List.copyOf(disks);
        nics = nics == null ? List.of() : List.copyOf(nics);
    }

    public VmSpec withUuid(String newUuid) {
        return new VmSpec(name, newUuid, vcpus, memoryMiB, cpuModel, machine, firmware, boot, disks, nics, serialLog);
    }

    public VmSpec withSerialLog(String path) {
        return new VmSpec(name, uuid, vcpus, memoryMiB, cpuModel, machine, firmware, boot, disks, nics, path);
    }

    public VmSpec withDisks(List<DiskSpec> newDisks) {
        return new VmSpec(name, uuid, vcpus, memoryMiB, cpuModel, machine, firmware, boot, newDisks, nics, serialLog);
    }
}

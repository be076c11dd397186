package dev.ferry.api.assess;

/**
 * The catalogue of assessment findings, shared by the controller, the API and the CLI: each code
 * is stable once released (scripts depend on it) and says in a few words what it checks. A
 * finding's message carries the specifics; its severity is decided where it is made.
 */
public enum FindingCode {
    HOST_UNREACHABLE("the destination's agent does not answer"),
    HOST_IN_MAINTENANCE("the destination is in maintenance mode"),
    SAME_HOST("the VM already runs on the destination"),
    NO_DESTINATION("no registered host can take the VM (a plan's auto destination)"),
    VM_NOT_RUNNING("the VM is not running, so only a cold migration can move it"),
    VM_IN_MIGRATION("the VM is in the middle of another migration"),
    ACCELERATOR_MISMATCH("the hosts run guests with different accelerators"),
    QEMU_UNSAFE("a QEMU version that cannot live-migrate safely"),
    QEMU_OLDER("the destination's QEMU is older than the source's"),
    MACHINE_TYPE_MISSING("the destination's QEMU lacks the VM's machine type"),
    MACHINE_TYPE_DIFFERS("the VM's machine-type alias means a different machine version on the destination"),
    CPU_MODEL_MISSING("the destination's QEMU lacks the VM's CPU model"),
    CPU_FEATURES_UNAVAILABLE("the destination cannot provide features of the VM's CPU model"),
    CPU_HOST_PASSTHROUGH("host-passthrough CPU: the guest sees the source's exact CPU"),
    CPU_MODEL_RECOMMENDED("a CPU model every host of the cluster can run"),
    NETWORK_MISSING("the destination has no network of a NIC's name"),
    NETWORK_DIFFERS("a NIC's network is backed differently on the destination"),
    POOL_MISSING("no destination pool can take a disk"),
    POOL_NOT_SHARED("a pool declared shared is not the same storage on both hosts"),
    POOL_PATH_DIFFERS("a pool proven shared is mounted at different paths on the two hosts"),
    POOL_SHARED("a disk stays on a pool both hosts share (informational; proven by a marker file)"),
    POOL_SPACE("the destination pool has too little free space for the disks copied along"),
    MEMORY("the destination has too little memory for the VM"),
    VCPUS("the destination has too few vCPUs left for the VM"),
    DEVICE_UNMOVABLE("a device that cannot be migrated"),
    FIRMWARE_MISSING("the destination has no UEFI firmware for a UEFI VM"),
    BOOT_FILES_LOCAL("the VM boots from kernel files outside shared storage, which must exist on the destination too"),
    CAPACITY("what the destination has left after the move (informational)");

    private final String description;

    FindingCode(String description) { this.description = description; }

    public String description() { return description; }
}

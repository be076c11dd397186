package dev.ferry.qemu.launch;

/** The QEMU accelerator a host runs guests with; both ends of a migration must use the same one. */
public enum Accelerator {
    KVM, TCG;

    public String qemuName() { return name().toLowerCase(java.util.Locale.ROOT); }
}

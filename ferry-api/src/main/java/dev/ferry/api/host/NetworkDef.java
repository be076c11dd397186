package dev.ferry.api.host;

/**
 * A network a host offers to its VMs, by name; a VM's NIC names the network, and the host decides
 * what backs it. {@code user} is QEMU's built-in NAT (no host setup, fine for tests and demos);
 * {@code bridge} attaches a tap device to an existing Linux bridge through qemu-bridge-helper.
 * Two hosts that can exchange a VM must define the same network names.
 */
public record NetworkDef(String name, String type, String bridge) {
    public static NetworkDef user(String name) { return new NetworkDef(name, "user", null); }
}

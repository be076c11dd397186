package dev.ferry.api.host;

/**
 * A network a host offers to its VMs, by name; a VM's NIC names the network, and the host decides
 * what backs it. {@code user} is QEMU's built-in NAT (no host setup, fine for tests and demos);
 * {@code bridge} attaches a tap device to an existing Linux bridge through qemu-bridge-helper.
 * Two hosts that can exchange a VM must define the same network names. Every agent also offers
 * {@value #ISOLATED} (type {@code isolated}) without configuration: each NIC on it sits alone on a
 * QEMU hub of its own, so its frames reach nothing (test migrations boot their clones there).
 */
public record NetworkDef(String name, String type, String bridge) {
    /** The network every host offers whose NICs reach nothing at all. */
    public static final String ISOLATED = "ferry-isolated";

    public static NetworkDef isolated() { return new NetworkDef(ISOLATED, "isolated", null); }

    public static NetworkDef user(String name) { return new NetworkDef(name, "user", null); }
}

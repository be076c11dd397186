package dev.ferry.cli.lab;

import java.util.List;

/**
 * The fallback lab for machines where the demo may not create network namespaces (not root, or no
 * {@code ip netns}): all agents share 127.0.0.1 and differ only by port. Nothing is created, so
 * nothing needs removing; the migration still goes through each agent's real API and QEMU's TLS
 * stream, just without a separate link to shape.
 */
public final class LoopbackLab implements Lab {
    private final AddressPlan plan;

    public LoopbackLab() { this(2); }

    public LoopbackLab(int hosts) { this.plan = AddressPlan.loopback(hosts); }

    @Override
    public AddressPlan plan() { return plan; }

    @Override
    public void create() {}

    @Override
    public List<String> onHost(AddressPlan.LabHost host, List<String> cmd) { return List.copyOf(cmd); }

    @Override
    public void shape(String rate) {
        throw new LabException("--shape needs the network-namespace lab (run as root); this lab is on 127.0.0.1");
    }

    @Override
    public void destroy() {}
}

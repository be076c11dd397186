package dev.ferry.api.spec;

/**
 * One network interface.
 *
 * @param model   virtio, e1000 or e1000e
 * @param network name of a network the host agent defines (e.g. {@code user}, or a bridge)
 * @param mac     unicast MAC address; generated at define time when absent
 */
public record NicSpec(NicModel model, String network, String mac) {
    public NicSpec withMac(String newMac) { return new NicSpec(model, network, newMac); }
}

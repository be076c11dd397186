package dev.ferry.api.safety;

import java.util.List;

/**
 * Where one NIC of a running VM really is, as the agent finds it in the QEMU it runs: the device
 * (QMP {@code qom-get} of {@code /machine/peripheral/nicN}: its {@code netdev} and {@code mac}),
 * the backend that netdev was started with ({@code -netdev} on QEMU's own command line in
 * {@code /proc/PID/cmdline}, e.g. {@code user}, {@code bridge,br=br0}, {@code hubport}), and the
 * networks of the host that backend matches.
 *
 * @param index    the NIC's position in the spec
 * @param mac      the MAC QEMU gives the device
 * @param netdev   the netdev id the device is attached to
 * @param backend  the netdev's type and bridge as started, e.g. {@code bridge br=br0}
 * @param networks names of this host's networks with that backend ({@code ferry-isolated} for a lone hub port)
 */
public record NicBinding(int index, String mac, String netdev, String backend, List<String> networks) {
    public NicBinding {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }
}

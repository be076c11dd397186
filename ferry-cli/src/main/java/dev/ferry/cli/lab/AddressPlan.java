package dev.ferry.cli.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is reached where in the demo lab: the two hosts' namespaces, API and migration addresses, and
 * the veth pairs that join them. It is pure data, decided before anything touches the host, so the
 * certificates (which must name these IPs), the agent configs and the {@code ip} commands are all
 * derived from one place and can be unit-tested. The netns plan uses 10.213.0.0/24 for the
 * migration link between the hosts and 10.213.1.0/24 and 10.213.2.0/24 for each host's API link to
 * the root namespace; the loopback plan puts everything on 127.0.0.1.
 */
public record AddressPlan(String mode, List<LabHost> hosts, List<String> namespaces, List<VethPair> links) {
    public static final String NETNS = "netns";
    public static final String LOOPBACK = "loopback";
    public static final String NS_PREFIX = "ferry-demo-";

    /**
     * One host of the lab.
     *
     * @param netns       its network namespace, null when it runs in the root namespace
     * @param apiIp       where its API listens and the controller reaches it
     * @param migrationIp where migration streams arrive
     */
    public record LabHost(String name, String netns, String apiIp, String migrationIp) {
        public List<String> certificateIps() {
            return apiIp.equals(migrationIp) ? List.of(apiIp) : List.of(apiIp, migrationIp);
        }
    }

    /** A veth pair; an end whose namespace is null lives in the root namespace. Addresses are /24. */
    public record VethPair(String name, String netns, String ip, String peer, String peerNetns, String peerIp) {}

    public AddressPlan {
        hosts = List.copyOf(hosts);
        namespaces = List.copyOf(namespaces);
        links = List.copyOf(links);
    }

    public static AddressPlan netns() {
        String a = NS_PREFIX + "a";
        String b = NS_PREFIX + "b";
        List<LabHost> hosts = List.of(new LabHost("host-a", a, "10.213.1.2", "10.213.0.1"),
                new LabHost("host-b", b, "10.213.2.2", "10.213.0.2"));
        List<VethPair> links = List.of(
                new VethPair("fdemo-mig-a", a, "10.213.0.1", "fdemo-mig-b", b, "10.213.0.2"),
                new VethPair("fdemo-a", null, "10.213.1.1", "fdemo-a-api", a, "10.213.1.2"),
                new VethPair("fdemo-b", null, "10.213.2.1", "fdemo-b-api", b, "10.213.2.2"));
        return new AddressPlan(NETNS, hosts, List.of(a, b), links);
    }

    public static AddressPlan loopback() {
        return new AddressPlan(LOOPBACK, List.of(new LabHost("host-a", null, "127.0.0.1", "127.0.0.1"),
                new LabHost("host-b", null, "127.0.0.1", "127.0.0.1")), List.of(), List.of());
    }

    public boolean isNetns() { return mode.equals(NETNS); }

    public LabHost host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in the lab"));
    }

    /** The veth ends that carry the migration stream (both ends, each in its host's namespace). */
    public List<VethPair> migrationLinks() {
        return links.stream().filter(l -> l.netns() != null && l.peerNetns() != null).toList();
    }

    /** The veth ends in the root namespace, which deleting the namespaces does not remove by name. */
    public List<String> rootLinkNames() {
        List<String> names = new ArrayList<>();
        for (VethPair l : links) {
            if (l.netns() == null) names.add(l.name());
            if (l.peerNetns() == null) names.add(l.peer());
        }
        return names;
    }
}

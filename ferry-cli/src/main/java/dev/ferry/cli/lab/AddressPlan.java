package dev.ferry.cli.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is reached where in the demo lab: the hosts' namespaces, API and migration addresses, and
 * the veth pairs (and, for three hosts or more, the bridge) that join them. It is pure data, decided
 * before anything touches the host, so the certificates (which must name these IPs), the agent
 * configs and the {@code ip} commands are all derived from one place and can be unit-tested.
 * Everything is inside 10.213.0.0/16: the migration network is 10.213.0.0/24 (host N's migration
 * address is 10.213.0.N) and host N's API link to the root namespace is 10.213.N.0/24. Two hosts
 * are joined by one veth pair, as the demo always did; three to five hosts each get one veth into a
 * dedicated migration namespace holding a bridge, so every pair of hosts can reach each other and
 * each host's link can be shaped on its own. The loopback plan puts everything on 127.0.0.1.
 */
public record AddressPlan(String mode, List<LabHost> hosts, List<String> namespaces, List<VethPair> links, Bridge bridge) {
    public static final String NETNS = "netns";
    public static final String LOOPBACK = "loopback";
    public static final String NS_PREFIX = "ferry-demo-";
    public static final int MIN_HOSTS = 2;
    public static final int MAX_HOSTS = 5;
    /** The namespace that holds the migration bridge of a lab with three hosts or more. */
    public static final String MIGRATION_NS = NS_PREFIX + "mig";

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

    /**
     * A veth pair; an end whose namespace is null lives in the root namespace. Addresses are /24; an
     * end without an address (a bridge port) has a null ip.
     */
    public record VethPair(String name, String netns, String ip, String peer, String peerNetns, String peerIp) {}

    /** A bridge {@code name} in namespace {@code netns} with the given veth ends as its ports. */
    public record Bridge(String netns, String name, List<String> ports) {
        public Bridge {
            ports = List.copyOf(ports);
        }
    }

    public AddressPlan {
        hosts = List.copyOf(hosts);
        namespaces = List.copyOf(namespaces);
        links = List.copyOf(links);
    }

    /** A plan without a bridge (hosts joined by veth pairs only). */
    public AddressPlan(String mode, List<LabHost> hosts, List<String> namespaces, List<VethPair> links) {
        this(mode, hosts, namespaces, links, null);
    }

    /** The two-host netns plan of the classic demo. */
    public static AddressPlan netns() { return netns(2); }

    /** The netns plan for {@code count} hosts (host-a, host-b, ...), 2 to {@value #MAX_HOSTS}. */
    public static AddressPlan netns(int count) { return netns(count, NS_PREFIX, "fdemo-", 213); }

    /**
     * The same layout under other names and another 10.X.0.0/16, for a test that must never meet a
     * demo lab: namespaces {@code nsPrefix}a.., devices {@code devPrefix}mig-a.. (at most 5
     * characters of prefix, for the kernel's 15), addresses in 10.{@code octet}.0.0/16.
     */
    public static AddressPlan netns(int count, String nsPrefix, String devPrefix, int octet) {
        requireCount(count);
        if (devPrefix.length() > 6) throw new IllegalArgumentException("device prefix too long for the kernel: " + devPrefix);
        String net = "10." + octet + ".";
        List<LabHost> hosts = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        List<VethPair> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ns = nsPrefix + letter(i);
            hosts.add(new LabHost(hostName(i), ns, net + (i + 1) + ".2", net + "0." + (i + 1)));
            namespaces.add(ns);
        }
        Bridge bridge = null;
        if (count == 2) {
            links.add(new VethPair(devPrefix + "mig-a", namespaces.get(0), net + "0.1", devPrefix + "mig-b", namespaces.get(1), net + "0.2"));
        } else {
            String migNs = nsPrefix + "mig";
            namespaces.add(migNs);
            List<String> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String port = devPrefix + "mbr-" + letter(i);
                links.add(new VethPair(devPrefix + "mig-" + letter(i), namespaces.get(i), hosts.get(i).migrationIp(), port, migNs, null));
                ports.add(port);
            }
            bridge = new Bridge(migNs, devPrefix + "br", ports);
        }
        for (int i = 0; i < count; i++) {
            String l = letter(i);
            links.add(new VethPair(devPrefix + l, null, net + (i + 1) + ".1", devPrefix + l + "-api", namespaces.get(i),
                    hosts.get(i).apiIp()));
        }
        return new AddressPlan(NETNS, hosts, namespaces, links, bridge);
    }

    /** The demo plan with the most hosts: its names include those of every smaller demo plan. */
    public static AddressPlan largest() { return netns(MAX_HOSTS); }

    /**
     * The plan whose namespaces and root devices a clean-up of this plan removes: for a demo plan
     * the largest one, so the leftovers of a demo of any size go (their names are the demo's own);
     * a plan with other names (a test's) only itself.
     */
    public AddressPlan family() {
        boolean demo = !namespaces.isEmpty() && namespaces.stream().allMatch(n -> n.startsWith(NS_PREFIX));
        return demo ? largest() : this;
    }

    public static AddressPlan loopback() { return loopback(2); }

    public static AddressPlan loopback(int count) {
        requireCount(count);
        List<LabHost> hosts = new ArrayList<>();
        for (int i = 0; i < count; i++) hosts.add(new LabHost(hostName(i), null, "127.0.0.1", "127.0.0.1"));
        return new AddressPlan(LOOPBACK, hosts, List.of(), List.of(), null);
    }

    /** host-a, host-b, ... */
    public static String hostName(int index) { return "host-" + letter(index); }

    private static String letter(int index) { return String.valueOf((char) ('a' + index)); }

    private static void requireCount(int count) {
        if (count < MIN_HOSTS || count > MAX_HOSTS) {
            throw new LabException("--hosts must be between " + MIN_HOSTS + " and " + MAX_HOSTS + ", not " + count);
        }
    }

    public boolean isNetns() { return mode.equals(NETNS); }

    public List<String> hostNames() { return hosts.stream().map(LabHost::name).toList(); }

    public LabHost host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in the lab"));
    }

    /** The veth pairs that carry migration streams (both ends in namespaces: host to host, or host to bridge). */
    public List<VethPair> migrationLinks() {
        return links.stream().filter(l -> l.netns() != null && l.peerNetns() != null).toList();
    }

    /** The migration veth whose first end is in {@code host}'s namespace. */
    public VethPair migrationLink(String host) {
        String ns = host(host).netns();
        return migrationLinks().stream().filter(l -> l.netns().equals(ns)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(host + " has no migration link of its own"));
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

    /** "10.213.": the first two octets every address of this plan starts with. */
    public String subnetPrefix() {
        String ip = hosts.get(0).apiIp();
        return ip.substring(0, ip.indexOf('.', ip.indexOf('.') + 1) + 1);
    }

    /** One line for the user: the namespaces and the networks. */
    public String describe() {
        String net = subnetPrefix();
        if (hosts.size() == 2) {
            return "namespaces " + String.join(", ", namespaces) + ", migration link " + net + "0.1 <-> " + net + "0.2, "
                    + "API links " + net + "1.0/24 and " + net + "2.0/24";
        }
        return "namespaces " + String.join(", ", namespaces) + ", migration network " + net + "0.0/24 (bridge " + bridge.name()
                + " in " + bridge.netns() + ", one link per host), API links " + net + "1.0/24 .. " + net + hosts.size() + ".0/24";
    }
}

package dev.ferry.cli.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The exact {@code ip} and {@code tc} command lines that build, shape and remove the netns lab of an
 * {@link AddressPlan}. Generating them separately from running them keeps {@link NetnsLab} small and
 * lets the tests check every command the demo would run as root without running any.
 */
public final class NetnsCommands {
    private NetnsCommands() {}

    public static List<List<String>> setUp(AddressPlan plan) {
        List<List<String>> cmds = new ArrayList<>();
        for (String ns : plan.namespaces()) {
            cmds.add(List.of("ip", "netns", "add", ns));
            cmds.add(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
        AddressPlan.Bridge br = plan.bridge();
        if (br != null) {
            cmds.add(ip(br.netns(), "link", "add", br.name(), "type", "bridge"));
            cmds.add(ip(br.netns(), "link", "set", br.name(), "up"));
        }
        for (AddressPlan.VethPair l : plan.links()) {
            List<String> add = new ArrayList<>(List.of("ip", "link", "add", l.name()));
            if (l.netns() != null) add.addAll(List.of("netns", l.netns()));
            add.addAll(List.of("type", "veth", "peer", "name", l.peer()));
            if (l.peerNetns() != null) add.addAll(List.of("netns", l.peerNetns()));
            cmds.add(add);
            cmds.addAll(bringUp(l.netns(), l.name(), l.ip()));
            cmds.addAll(bringUp(l.peerNetns(), l.peer(), l.peerIp()));
        }
        if (br != null) {
            for (String port : br.ports()) cmds.add(ip(br.netns(), "link", "set", port, "master", br.name()));
        }
        return cmds;
    }

    /** Every command is safe to run when its object is already gone (failures are ignored). */
    public static List<List<String>> tearDown(AddressPlan plan) {
        List<List<String>> cmds = new ArrayList<>();
        for (String ns : plan.namespaces()) cmds.add(List.of("ip", "netns", "del", ns));
        for (String link : plan.rootLinkNames()) cmds.add(List.of("ip", "link", "del", link));
        return cmds;
    }

    /** Lists the processes still running in a namespace (QEMU, agents): {@code ip netns pids NS}. */
    public static List<String> pids(String ns) {
        return List.of("ip", "netns", "pids", ns);
    }

    /** Prefixes a command so it runs inside {@code ns}. */
    public static List<String> exec(String ns, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(cmd);
        return all;
    }

    /**
     * A token-bucket limit on both ends of every migration link: {@code 1gbit} or {@code 100mbit}.
     * With a bridge that is each host's own link, in both directions (the bridge-side end's egress
     * is what the host receives).
     */
    public static List<List<String>> shape(AddressPlan plan, String rate) {
        String burst = switch (rate) {
            case "1gbit" -> "1mb";
            case "100mbit" -> "128kb";
            default -> throw new LabException("--shape must be 1gbit or 100mbit, not '" + rate + "'");
        };
        List<List<String>> cmds = new ArrayList<>();
        for (AddressPlan.VethPair l : plan.migrationLinks()) {
            cmds.add(tbf(l.netns(), l.name(), rate, burst));
            cmds.add(tbf(l.peerNetns(), l.peer(), rate, burst));
        }
        return cmds;
    }

    private static List<String> tbf(String ns, String dev, String rate, String burst) {
        return List.of("tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", rate, "burst", burst,
                "latency", "100ms");
    }

    private static List<List<String>> bringUp(String ns, String dev, String ip) {
        if (ip == null) return List.of(ip(ns, "link", "set", dev, "up"));
        return List.of(ip(ns, "addr", "add", ip + "/24", "dev", dev), ip(ns, "link", "set", dev, "up"));
    }

    private static List<String> ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (ns != null) cmd.addAll(List.of("-n", ns));
        cmd.addAll(List.of(args));
        return cmd;
    }
}

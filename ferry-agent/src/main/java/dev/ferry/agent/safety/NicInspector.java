package dev.ferry.agent.safety;

import dev.ferry.agent.vm.VmManager;
import dev.ferry.agent.vm.VmRuntime;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.safety.NicBinding;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds out which network each NIC of a running VM is really on, from the QEMU process itself
 * rather than from the spec it was meant to get: the device's {@code netdev} and {@code mac} by
 * QMP {@code qom-get}, and that netdev's backend from QEMU's own command line (QEMU 10 offers no QMP
 * query of netdev backends; the command line in {@code /proc/PID/cmdline} is what the process was
 * started with, not human output). The backend is then matched against this host's networks.
 */
final class NicInspector {
    private final VmManager vms;
    private final List<NetworkDef> networks;

    NicInspector(VmManager vms, List<NetworkDef> networks) {
        this.vms = vms;
        this.networks = List.copyOf(networks);
    }

    List<NicBinding> inspect(String name) {
        VmSpec spec = vms.spec(name);
        VmRuntime rt = vms.requireRunning(name);
        Map<String, String> netdevs = netdevArgs(readCmdline(rt.process().pid()));
        List<NicBinding> out = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            String path = "/machine/peripheral/nic" + i;
            String netdev = rt.qmp().execute("qom-get", Map.of("path", path, "property", "netdev")).asText();
            String mac = rt.qmp().execute("qom-get", Map.of("path", path, "property", "mac")).asText();
            String args = netdevs.get(netdev);
            out.add(new NicBinding(i, mac, netdev, args == null ? "unknown" : backend(args), matching(args)));
        }
        return out;
    }

    /** The {@code -netdev} arguments of a command line by netdev id. */
    static Map<String, String> netdevArgs(List<String> argv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (!argv.get(i).equals("-netdev")) continue;
            String v = argv.get(i + 1);
            String id = option(v, "id");
            if (id != null) out.put(id, v);
        }
        return out;
    }

    /** The backend type and, for a bridge, the bridge: e.g. {@code user}, {@code bridge br=br0}, {@code hubport}. */
    static String backend(String args) {
        String type = args.split(",", 2)[0];
        String br = option(args, "br");
        return br == null ? type : type + " br=" + br;
    }

    private List<String> matching(String args) {
        if (args == null) return List.of();
        String type = args.split(",", 2)[0];
        List<String> out = new ArrayList<>();
        if (type.equals("hubport")) out.add(NetworkDef.ISOLATED);
        for (NetworkDef n : networks) {
            if (type.equals("user") && "user".equals(n.type())) out.add(n.name());
            if (type.equals("bridge") && "bridge".equals(n.type()) && n.bridge() != null && n.bridge().equals(option(args, "br"))) {
                out.add(n.name());
            }
        }
        return out;
    }

    private static String option(String args, String key) {
        for (String part : args.split(",")) {
            if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
        }
        return null;
    }

    private static List<String> readCmdline(long pid) {
        Path p = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            return List.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}

package dev.ferry.controller.assess;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.HostInfo.CpuDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU model every registered host can run: named, migration-safe models that no host reports
 * an unavailable feature for. QEMU does not rank models, so the newest is picked by a list of CPU
 * generations, newest first (then the highest {@code -vN} of it); generic models ({@code qemu64},
 * {@code kvm64}) come last. Hosts whose agents did not report CPU definitions are left out of the
 * question (and named), rather than guessed.
 */
final class ClusterCpuModel {
    /** CPU families newest first; a model is ranked by the first family its name starts with. */
    static final List<String> GENERATIONS = List.of("GraniteRapids", "SierraForest", "SapphireRapids", "Icelake-Server", "Cooperlake",
            "Cascadelake-Server", "Snowridge", "Skylake-Server", "Skylake-Client", "Broadwell", "Haswell", "IvyBridge",
            "SandyBridge", "Westmere", "Nehalem", "Penryn", "Conroe", "core2duo", "coreduo", "EPYC-Genoa", "EPYC-Milan", "EPYC-Rome", "EPYC", "Opteron_G5",
            "Opteron_G4", "Opteron_G3", "Opteron_G2", "Opteron_G1", "Dhyana", "qemu64", "kvm64", "qemu32", "kvm32", "athlon",
            "phenom", "n270", "pentium3", "pentium2", "pentium", "486");
    private static final Pattern VERSION = Pattern.compile("(.*)-v(\\d+)");

    private ClusterCpuModel() {}

    static boolean isPassthrough(String model) { return model.equals("host") || model.equals("max"); }

    /** The models every host in {@code hosts} reporting definitions can run, best first. */
    static List<String> common(List<HostInfo> hosts) {
        TreeSet<String> names = null;
        for (HostInfo h : hosts) {
            if (h.cpuDefinitions().isEmpty()) continue;
            Set<String> ok = new TreeSet<>();
            for (CpuDefinition d : h.cpuDefinitions()) {
                if (d.runnable() && d.migrationSafe() && !isPassthrough(d.name()) && !d.name().equals("base")) ok.add(d.name());
            }
            if (names == null) names = new TreeSet<>(ok);
            else names.retainAll(ok);
        }
        if (names == null) return List.of();
        List<String> out = new ArrayList<>(names);
        out.sort(Comparator.comparingInt(ClusterCpuModel::rank).thenComparing(ClusterCpuModel::version, Comparator.reverseOrder())
                .thenComparing(Comparator.naturalOrder()));
        return out;
    }

    static Finding recommend(String vm, String model, List<HostInfo> hosts) {
        List<String> unreported = hosts.stream().filter(h -> h.cpuDefinitions().isEmpty()).map(HostInfo::name).toList();
        List<String> common = common(hosts);
        String note = unreported.isEmpty() ? "" : " (" + unreported + " reported no CPU definitions and are left out)";
        if (common.contains(model)) {
            return Finding.info(FindingCode.CPU_MODEL_RECOMMENDED, "CPU model '" + model + "' of '" + vm + "' runs on every host of the"
                    + " cluster" + note);
        }
        List<String> cannot = hosts.stream().filter(h -> !runs(h, model)).map(HostInfo::name).toList();
        String why = isPassthrough(model) ? "'" + model + "' is host-passthrough" : cannot.isEmpty() ? "'" + model + "' is not migration-safe"
                : "'" + model + "' cannot run on " + cannot;
        String rec = common.isEmpty() ? "no named model runs on every host" : "'" + common.get(0) + "' runs on every host"
                + (common.size() > 1 ? " (also: " + CpuChecks.first(common.subList(1, common.size())) + ")" : "");
        return Finding.warning(FindingCode.CPU_MODEL_RECOMMENDED, why + "; for '" + vm + "' to move freely use a cluster-wide model: " + rec
                + note);
    }

    private static boolean runs(HostInfo h, String model) {
        Optional<CpuDefinition> d = h.cpuDefinition(model);
        return h.cpuDefinitions().isEmpty() || (d.isPresent() && d.get().runnable());
    }

    private static int rank(String name) {
        String base = family(name);
        for (int i = 0; i < GENERATIONS.size(); i++) {
            if (base.startsWith(GENERATIONS.get(i))) return i;
        }
        return GENERATIONS.size();
    }

    private static int version(String name) {
        Matcher m = VERSION.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    private static String family(String name) {
        Matcher m = VERSION.matcher(name);
        return m.matches() ? m.group(1) : name;
    }
}

package dev.ferry.controller.assess;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.HostInfo.CpuDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CPU model checks: the destination's QEMU has the VM's model, and can provide all of it with
 * the accelerator it runs guests with ({@code unavailable-features} of {@code query-cpu-definitions},
 * probed by each agent); host-passthrough ({@code host}, and {@code max}, which QEMU does not call
 * migration-safe) is flagged, and refused for a live move when the destination's CPU lacks flags
 * the source's has; and the cluster-wide model ({@link ClusterCpuModel}) is recommended.
 */
final class CpuChecks {
    private static final int LISTED = 6;

    private CpuChecks() {}

    static List<Finding> check(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        HostInfo dst = in.destination();
        String model = in.spec().cpuModel() == null ? "qemu64" : in.spec().cpuModel();
        if (!dst.cpuModels().contains(model)) {
            out.add(Finding.blocker(FindingCode.CPU_MODEL_MISSING, dst.name() + "'s QEMU has no CPU model '" + model + "' that '"
                    + in.vm() + "' uses"));
            return out;
        }
        if (ClusterCpuModel.isPassthrough(model)) {
            out.addAll(passthrough(in, model));
        } else {
            Optional<CpuDefinition> def = dst.cpuDefinition(model);
            if (def.isPresent() && !def.get().runnable()) {
                List<String> missing = def.get().unavailableFeatures();
                String text = dst.name() + " (" + dst.accelerator() + ") cannot provide " + missing.size() + " feature(s) of CPU model '"
                        + model + "' that '" + in.vm() + "' uses: " + first(missing);
                out.add(in.live() ? Finding.blocker(FindingCode.CPU_FEATURES_UNAVAILABLE, text + "; a running guest would lose them")
                        : Finding.warning(FindingCode.CPU_FEATURES_UNAVAILABLE, text + "; QEMU starts it without them"));
            }
        }
        out.add(ClusterCpuModel.recommend(in.vm(), model, in.cluster()));
        return out;
    }

    private static List<Finding> passthrough(AssessmentInput in, String model) {
        HostInfo src = in.source();
        HostInfo dst = in.destination();
        Set<String> missing = new HashSet<>(src.cpuFlags());
        missing.removeAll(new HashSet<>(dst.cpuFlags()));
        String text = "'" + in.vm() + "' uses CPU model '" + model + "': the guest sees " + src.name() + "'s CPU (" + src.cpuModel()
                + ") exactly";
        if (in.live() && !missing.isEmpty()) {
            return List.of(Finding.blocker(FindingCode.CPU_HOST_PASSTHROUGH, text + ", and " + dst.name() + "'s CPU (" + dst.cpuModel()
                    + ") lacks " + missing.size() + " of its flags: " + first(missing.stream().sorted().toList())));
        }
        return List.of(Finding.warning(FindingCode.CPU_HOST_PASSTHROUGH, text + "; it can move only between hosts with identical CPUs"
                + (missing.isEmpty() ? " (" + dst.name() + " reports the same flags)" : "")));
    }

    static String first(List<String> items) {
        return items.size() <= LISTED ? String.join(", ", items)
                : String.join(", ", items.subList(0, LISTED)) + " and " + (items.size() - LISTED) + " more";
    }
}

package dev.ferry.controller.assess;

import dev.ferry.api.assess.Finding;
import dev.ferry.api.assess.FindingCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.HostInfo;
import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.api.vm.VmState;
import dev.ferry.controller.migration.storage.StoragePlanner;
import dev.ferry.qemu.policy.QemuSafety;
import dev.ferry.qemu.qmp.QemuVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of an assessment that compare the two hosts and the VM's state: same host, the
 * destination's maintenance flag, the VM's run state for the mode, accelerators, QEMU versions
 * ({@link QemuSafety} and an older destination), machine type and what its alias means on each
 * side, networks of every NIC, and the host-bound parts of a spec (UEFI firmware, kernel files).
 * Pure functions of an {@link AssessmentInput}; CPU models are {@link CpuChecks}' part.
 */
final class HostChecks {
    private HostChecks() {}

    /** Blockers that make every other check moot are first; the destination may be null (unreachable). */
    static List<Finding> preconditions(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        String vm = in.vm();
        String dst = in.destinationName();
        if (in.source().name().equals(dst)) {
            out.add(Finding.blocker(FindingCode.SAME_HOST, "VM '" + vm + "' already runs on " + dst));
        }
        if (in.maintenance() != null || (in.destination() != null && in.destination().inMaintenance())) {
            String since = in.maintenance() == null ? " (its agent reports it)" : " since " + in.maintenance().since()
                    + (in.maintenance().reason() == null ? "" : " (" + in.maintenance().reason() + ")");
            out.add(Finding.blocker(FindingCode.HOST_IN_MAINTENANCE, dst + " is in maintenance" + since
                    + " and takes no incoming migrations; '" + vm + "' cannot move there"));
        }
        if (in.destination() == null) {
            out.add(Finding.blocker(FindingCode.HOST_UNREACHABLE, "the agent of " + dst + " does not answer (" + in.unreachableWhy()
                    + "); '" + vm + "' cannot be assessed for it or moved there"));
        }
        VmState s = in.state();
        if (s == VmState.MIGRATED || s == VmState.INCOMING) {
            out.add(Finding.blocker(FindingCode.VM_IN_MIGRATION, "VM '" + vm + "' is " + s.json() + " on " + in.source().name()
                    + "; it is in the middle of another migration"));
        } else if (in.live() && s != VmState.RUNNING && s != VmState.PAUSED) {
            out.add(Finding.blocker(FindingCode.VM_NOT_RUNNING, "VM '" + vm + "' is " + s.json() + " on " + in.source().name()
                    + "; a " + in.mode() + " migration needs it running (a cold migration can move it)"));
        }
        return out;
    }

    static List<Finding> qemu(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        HostInfo src = in.source();
        HostInfo dst = in.destination();
        if (in.live()) {
            if (!src.accelerator().equals(dst.accelerator())) {
                out.add(Finding.blocker(FindingCode.ACCELERATOR_MISMATCH, src.name() + " runs guests with " + src.accelerator() + " but "
                        + dst.name() + " with " + dst.accelerator() + "; a running guest cannot move between accelerators"));
            }
            for (HostInfo h : List.of(src, dst)) {
                try {
                    QemuSafety.requireSafeForLiveMigration(h.name(), h.qemuVersion());
                } catch (FerryException e) {
                    out.add(Finding.blocker(FindingCode.QEMU_UNSAFE, e.getMessage()));
                }
            }
            QemuVersion sv = version(src.qemuVersion());
            QemuVersion dv = version(dst.qemuVersion());
            if (sv != null && dv != null && !dv.isAtLeast(sv)) {
                out.add(Finding.warning(FindingCode.QEMU_OLDER, dst.name() + " runs QEMU " + dst.qemuVersion() + ", older than "
                        + src.qemuVersion() + " on " + src.name() + "; migrating to an older QEMU works only with a machine type"
                        + " version both know"));
            }
        }
        return out;
    }

    static List<Finding> machine(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        HostInfo src = in.source();
        HostInfo dst = in.destination();
        String machine = in.spec().machine() == null ? "q35" : in.spec().machine();
        if (!dst.machineTypes().contains(machine)) {
            out.add(Finding.blocker(FindingCode.MACHINE_TYPE_MISSING, dst.name() + " does not offer machine type '" + machine
                    + "' that '" + in.vm() + "' uses (" + dst.machineTypes().size() + " types offered)"));
            return out;
        }
        String here = src.machineAliases().get(machine);
        String there = dst.machineAliases().get(machine);
        if (in.live() && here != null && there != null && !here.equals(there)) {
            out.add(Finding.blocker(FindingCode.MACHINE_TYPE_DIFFERS, "'" + in.vm() + "' uses machine '" + machine + "', which is "
                    + here + " on " + src.name() + " but " + there + " on " + dst.name() + "; a running guest must keep its machine"
                    + " version (pin the VM to " + here + ", or move it cold)"));
        }
        return out;
    }

    static List<Finding> networks(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        HostInfo dst = in.destination();
        for (int i = 0; i < in.spec().nics().size(); i++) {
            NicSpec nic = in.spec().nics().get(i);
            NetworkDef there = network(dst, nic.network());
            if (there == null) {
                out.add(Finding.blocker(FindingCode.NETWORK_MISSING, "NIC " + i + " of '" + in.vm() + "' is on network '" + nic.network()
                        + "', which " + dst.name() + " does not define (networks: " + dst.networks().stream().map(NetworkDef::name).toList()
                        + ")"));
                continue;
            }
            NetworkDef here = network(in.source(), nic.network());
            if (here != null && !(here.type() + "/" + here.bridge()).equals(there.type() + "/" + there.bridge())) {
                out.add(Finding.warning(FindingCode.NETWORK_DIFFERS, "network '" + nic.network() + "' is " + describe(here) + " on "
                        + in.source().name() + " but " + describe(there) + " on " + dst.name() + "; NIC " + i + " of '" + in.vm()
                        + "' keeps its name but not its backing"));
            }
        }
        return out;
    }

    /**
     * What of the spec is bound to a host. A VmSpec expresses no passthrough device (no VFIO, USB
     * host or shared-filesystem devices), so nothing it describes is unmovable in QEMU's sense; what
     * binds it are files: UEFI firmware the destination must have, and a direct-boot kernel and
     * initrd the destination QEMU reads at start from the same path.
     */
    static List<Finding> hostBound(AssessmentInput in) {
        List<Finding> out = new ArrayList<>();
        VmSpec spec = in.spec();
        HostInfo dst = in.destination();
        if (spec.firmware() == Firmware.UEFI && Boolean.FALSE.equals(dst.uefiFirmware())) {
            out.add(Finding.blocker(FindingCode.FIRMWARE_MISSING, "'" + in.vm() + "' boots with UEFI but " + dst.name()
                    + " has no UEFI firmware configured (uefiFirmware in its agent config)"));
        }
        if (spec.boot() != null && spec.boot().isDirectKernel()) {
            List<String> local = new ArrayList<>();
            for (String f : new String[] {spec.boot().kernel(), spec.boot().initrd()}) {
                if (f != null && !onSharedPool(in.source(), f)) local.add(f);
            }
            if (!local.isEmpty()) {
                out.add(Finding.warning(FindingCode.BOOT_FILES_LOCAL, "'" + in.vm() + "' boots the kernel files " + local
                        + ", which are not on shared storage; " + dst.name() + " must have them at the same paths (its agent checks"
                        + " when the migration prepares the destination)"));
            }
        }
        return out;
    }

    private static boolean onSharedPool(HostInfo host, String file) {
        return StoragePlanner.onSharedPool(host, new dev.ferry.api.spec.DiskSpec("boot", Path.of(file).toString(), null, null, null));
    }

    private static NetworkDef network(HostInfo h, String name) {
        return h.networks().stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
    }

    private static String describe(NetworkDef n) { return n.bridge() == null ? n.type() : n.type() + " " + n.bridge(); }

    static QemuVersion version(String v) { return QemuSafety.parse(v); }
}

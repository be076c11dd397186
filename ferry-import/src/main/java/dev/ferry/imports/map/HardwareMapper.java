package dev.ferry.imports.map;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.SpecValidator;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.imports.ImportOptions;
import dev.ferry.imports.model.ControllerType;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.model.ImportedDisk;
import dev.ferry.imports.model.ImportedNic;
import dev.ferry.imports.model.ImportedVm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an {@link ImportedVm} into a Ferry {@link VmSpec}, choosing QEMU devices the guest can
 * drive. A guest with virtio drivers (by OS type, or forced) gets virtio-blk disks (virtio-scsi
 * where it had a SCSI or NVMe controller, so its disks stay SCSI disks) and virtio-net; any other
 * guest gets AHCI SATA disks (IDE stays IDE) and e1000/e1000e NICs, which every OS since 2000
 * drives. MACs are kept, networks renamed through the operator's map; every change and everything
 * that has no equivalent goes into the notes.
 */
public final class HardwareMapper {
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Set<ControllerType> SCSI_LIKE = Set.of(ControllerType.LSILOGIC, ControllerType.LSILOGIC_SAS,
            ControllerType.BUSLOGIC, ControllerType.PVSCSI, ControllerType.NVME, ControllerType.HYPERV_SCSI);

    /** The mapped spec with its notes. */
    public record Result(VmSpec spec, boolean virtio, List<ImportNote> notes) {}

    private HardwareMapper() {}

    /** Maps {@code vm}; {@code target} gives the path each disk will be converted to (by index). */
    public static Result map(ImportedVm vm, ImportOptions o, java.util.function.IntFunction<Path> target) {
        List<ImportNote> notes = new ArrayList<>(vm.notes());
        String os = o.osType() != null ? o.osType() : vm.osType();
        boolean virtio = switch (o.virtioOrAuto()) {
            case YES -> true;
            case NO -> false;
            case AUTO -> GuestOs.hasVirtio(os);
        };
        notes.add(ImportNote.info("guest OS", "'" + os + "': " + (virtio ? "virtio devices" : "emulated devices (sata, e1000)")
                + (o.virtioOrAuto() == ImportOptions.Virtio.AUTO ? " (auto; override with virtio yes|no)" : " (forced)")));
        List<DiskSpec> disks = disks(vm, o, virtio, target, notes);
        List<NicSpec> nics = nics(vm, o, virtio, notes);
        Firmware fw = o.firmware() != null ? o.firmware() : vm.firmware() == null ? Firmware.BIOS : vm.firmware();
        if (vm.secureBoot()) notes.add(ImportNote.warning("secure boot", "enabled on the source; the VM boots UEFI without secure boot enforcement"));
        Integer cpus = o.cpus() != null ? o.cpus() : vm.cpus();
        if (vm.coresPerSocket() != null && cpus != null && vm.coresPerSocket() > 1) {
            notes.add(ImportNote.info("cpu topology", cpus / Math.max(1, vm.coresPerSocket()) + " socket(s) x " + vm.coresPerSocket()
                    + " cores becomes " + cpus + " vCPUs (Ferry specs have no topology)"));
        }
        Integer memory = o.memoryMiB() != null ? o.memoryMiB() : vm.memoryMiB();
        if (memory == null) throw new FerryException(ErrorCode.INVALID_SOURCE, "the source names no memory size; give one (--memory MiB)");
        BootSpec boot = o.boot() != null ? o.boot() : disks.isEmpty() ? null : new BootSpec(null, null, null, disks.get(0).id());
        if (boot == null) throw new FerryException(ErrorCode.INVALID_SOURCE, "the source has no hard disk to boot from");
        if (o.boot() == null) notes.add(ImportNote.info("boot", "boots from " + disks.get(0).id() + " (" + vm.disks().get(0).label() + ")"));
        VmSpec spec = new VmSpec(name(o.name() != null ? o.name() : vm.name()), null, cpus, memory, null, "q35", fw, boot, disks, nics, null);
        SpecValidator.validate(spec);
        return new Result(spec, virtio, notes);
    }

    private static List<DiskSpec> disks(ImportedVm vm, ImportOptions o, boolean virtio, java.util.function.IntFunction<Path> target,
                                        List<ImportNote> notes) {
        List<DiskSpec> out = new ArrayList<>();
        for (int i = 0; i < vm.disks().size(); i++) {
            ImportedDisk d = vm.disks().get(i);
            DiskBus bus = bus(d.controller(), virtio);
            String id = "disk" + i;
            notes.add(ImportNote.info(d.label(), d.controller().json() + " " + d.bus() + ":" + d.unit() + " -> " + bus.json() + " (" + id + ")"));
            out.add(new DiskSpec(id, target.apply(i).toString(), o.formatOrDefault(), bus, null));
        }
        return out;
    }

    static DiskBus bus(ControllerType c, boolean virtio) {
        if (virtio) return SCSI_LIKE.contains(c) ? DiskBus.VIRTIO_SCSI : DiskBus.VIRTIO_BLK;
        return c == ControllerType.IDE ? DiskBus.IDE : DiskBus.SATA;
    }

    private static List<NicSpec> nics(ImportedVm vm, ImportOptions o, boolean virtio, List<ImportNote> notes) {
        List<NicSpec> out = new ArrayList<>();
        Set<String> unmapped = new HashSet<>();
        for (int i = 0; i < vm.nics().size(); i++) {
            ImportedNic n = vm.nics().get(i);
            NicModel model = virtio ? NicModel.VIRTIO : "e1000e".equalsIgnoreCase(n.model()) ? NicModel.E1000E : NicModel.E1000;
            String network = o.networkMap().getOrDefault(n.network(), o.networkMap().get("*"));
            if (network == null) {
                unmapped.add(String.valueOf(n.network()));
                continue;
            }
            String mac = mac(n.mac(), i, notes);
            notes.add(ImportNote.info("nic" + i, n.model() + " on '" + n.network() + "' -> " + model.json() + " on '" + network + "'"
                    + (mac == null ? "" : ", MAC " + mac + " kept")));
            out.add(new NicSpec(model, network, mac));
        }
        if (!unmapped.isEmpty()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "source network(s) " + unmapped.stream().sorted().toList()
                    + " are not mapped to a host network: add --network-map SOURCE=HOSTNET (or *=HOSTNET for all)");
        }
        return out;
    }

    private static String mac(String raw, int i, List<ImportNote> notes) {
        if (raw == null) {
            notes.add(ImportNote.info("nic" + i, "no MAC in the source; a new one is generated"));
            return null;
        }
        String m = raw.toLowerCase(Locale.ROOT).replace('-', ':');
        if (m.matches("[0-9a-f]{12}")) m = m.replaceAll("(..)(?!$)", "$1:");
        if (!MAC.matcher(m).matches() || (Integer.parseInt(m.substring(0, 2), 16) & 1) == 1) {
            notes.add(ImportNote.warning("nic" + i, "MAC '" + raw + "' is not a unicast MAC; a new one is generated"));
            return null;
        }
        return m;
    }

    /** The name the imported VM gets: the operator's, else the source's made valid. */
    public static String vmName(ImportedVm vm, ImportOptions o) { return name(o.name() != null ? o.name() : vm.name()); }

    /** A valid Ferry VM name from a source name: lower case, other characters become '-'. */
    static String name(String source) {
        String n = source == null ? "imported" : source.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (n.isEmpty()) n = "imported";
        return n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }
}

package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.Firmware;
import dev.ferry.imports.model.ControllerType;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.model.ImportedDisk;
import dev.ferry.imports.model.ImportedNic;
import dev.ferry.imports.model.ImportedVm;
import dev.ferry.imports.model.SourceKind;
import dev.ferry.imports.safety.ImportFolder;
import dev.ferry.qemu.img.ImageFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a VMware VM ({@code .vmx} plus its VMDK disks) into an {@link ImportedVm}: CPUs and cores
 * per socket, memory, BIOS/EFI and secure boot, guest OS, hard disks on IDE/SATA/SCSI/NVMe with
 * the SCSI adapter model, and Ethernet adapters with their MAC and network. Each VMDK's descriptor
 * is checked by {@link VmdkDescriptor} before anything else opens it. CD-ROMs, floppies and every
 * other key are reported, not imported.
 */
public final class VmxReader {
    private static final Pattern DISK_KEY = Pattern.compile("^(scsi|sata|nvme|ide)(\\d+):(\\d+)\\.filename$");
    private static final Pattern NIC_KEY = Pattern.compile("^ethernet(\\d+)\\.present$");

    private VmxReader() {}

    public static ImportedVm read(Path vmxPath, ImportFolder folder) {
        VmxFile vmx = VmxFile.read(vmxPath);
        List<ImportNote> notes = new ArrayList<>();
        String name = vmx.get("displayName");
        if (name == null) name = vmxPath.getFileName().toString().replaceFirst("\\.vmx$", "");
        boolean efi = "efi".equalsIgnoreCase(vmx.get("firmware"));
        boolean secure = vmx.isTrue("uefi.secureBoot.enabled");
        List<ImportedDisk> disks = new ArrayList<>();
        for (String key : vmx.keys(DISK_KEY.pattern())) disk(vmx, key, vmxPath, folder, disks, notes);
        List<ImportedNic> nics = new ArrayList<>();
        for (String key : vmx.keys(NIC_KEY.pattern())) nic(vmx, key, nics);
        Integer memory = vmx.integer("memsize");
        Integer cpus = vmx.integer("numvcpus");
        Integer cores = vmx.integer("cpuid.coresPerSocket");
        String os = vmx.get("guestOS");
        notes.addAll(vmx.unusedNotes());
        return new ImportedVm(SourceKind.VMX, name, cpus == null ? 1 : cpus, cores, memory, efi ? Firmware.UEFI : Firmware.BIOS,
                secure, os, disks, nics, notes);
    }

    private static void disk(VmxFile vmx, String key, Path vmxPath, ImportFolder folder, List<ImportedDisk> disks, List<ImportNote> notes) {
        Matcher m = DISK_KEY.matcher(key);
        if (!m.matches()) return;
        String dev = m.group(1) + m.group(2) + ":" + m.group(3);
        String ctrl = m.group(1) + m.group(2);
        String file = vmx.get(key);
        String present = vmx.get(dev + ".present");
        String type = vmx.get(dev + ".deviceType");
        if (present != null && !present.equalsIgnoreCase("true")) return;
        if (type != null && (type.toLowerCase(Locale.ROOT).contains("cdrom") || type.toLowerCase(Locale.ROOT).contains("atapi"))) {
            notes.add(ImportNote.warning(dev, "CD/DVD drive (" + type + ", " + file + ") not imported"));
            return;
        }
        if (!file.toLowerCase(Locale.ROOT).endsWith(".vmdk")) {
            notes.add(ImportNote.warning(dev, "device " + file + " (" + type + ") is not a VMDK disk; not imported"));
            return;
        }
        Path image = folder.file(vmxPath.getParent(), file, "VMX setting " + key);
        VmdkDescriptor.Info info = VmdkDescriptor.inspect(image, folder);
        vmx.get(dev + ".mode");
        vmx.get(dev + ".redo");
        disks.add(new ImportedDisk(dev, controller(vmx, m.group(1), ctrl), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                image, ImageFormat.VMDK, info.capacityBytes()));
        if (present == null) notes.add(ImportNote.info(dev, "has no .present key; imported as present"));
        vmx.get(ctrl + ".present");
    }

    private static ControllerType controller(VmxFile vmx, String bus, String ctrl) {
        return switch (bus) {
            case "ide" -> ControllerType.IDE;
            case "sata" -> ControllerType.SATA;
            case "nvme" -> ControllerType.NVME;
            default -> {
                String dev = vmx.get(ctrl + ".virtualDev");
                yield switch (dev == null ? "lsilogic" : dev.toLowerCase(Locale.ROOT)) {
                    case "lsilogic" -> ControllerType.LSILOGIC;
                    case "lsisas1068" -> ControllerType.LSILOGIC_SAS;
                    case "pvscsi" -> ControllerType.PVSCSI;
                    case "buslogic" -> ControllerType.BUSLOGIC;
                    default -> throw new FerryException(ErrorCode.INVALID_SOURCE, ctrl + ".virtualDev = \"" + dev + "\" is not a SCSI adapter Ferry knows");
                };
            }
        };
    }

    private static void nic(VmxFile vmx, String key, List<ImportedNic> nics) {
        String eth = key.substring(0, key.indexOf('.'));
        if (!vmx.isTrue(key)) return;
        String model = vmx.get(eth + ".virtualDev");
        String addressType = vmx.get(eth + ".addressType");
        String mac = "static".equalsIgnoreCase(addressType) ? vmx.get(eth + ".address") : vmx.get(eth + ".generatedAddress");
        if (mac == null) mac = vmx.get(eth + ".address");
        vmx.get(eth + ".generatedAddressOffset");
        String network = vmx.get(eth + ".networkName");
        String connection = vmx.get(eth + ".connectionType");
        if (network == null) network = connection == null ? "bridged" : connection;
        nics.add(new ImportedNic(model == null ? "e1000" : model.toLowerCase(Locale.ROOT), mac == null ? null : mac.toLowerCase(Locale.ROOT), network));
    }
}

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
import dev.ferry.imports.safety.SafeXml;
import dev.ferry.qemu.img.ImageFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads a VirtualBox {@code .vbox} machine file into an {@link ImportedVm}: CPU count, RAM,
 * firmware (BIOS/EFI), OS type, the storage controllers with their attached hard disks (resolved
 * through the media registry to VDI/VMDK/VHD files in the VM's folder) and the network adapters
 * with MAC, adapter type and attachment. Optical drives, floppies, USB, audio and everything else
 * under Hardware are reported, not imported.
 */
public final class VboxReader {
    private static final Set<String> MAPPED = Set.of("CPU", "Memory", "Firmware", "Network", "StorageControllers", "Platform", "x86");

    private VboxReader() {}

    public static ImportedVm read(Path vbox, ImportFolder folder) {
        Element root = SafeXml.parse(vbox).getDocumentElement();
        if (!SafeXml.local(root).equals("VirtualBox")) throw new FerryException(ErrorCode.INVALID_SOURCE, vbox.getFileName() + " is not a VirtualBox machine file");
        Element machine = SafeXml.child(root, "Machine");
        if (machine == null) throw new FerryException(ErrorCode.INVALID_SOURCE, vbox.getFileName() + " has no Machine");
        Element hw = SafeXml.child(machine, "Hardware");
        if (hw == null) throw new FerryException(ErrorCode.INVALID_SOURCE, vbox.getFileName() + " has no Hardware section");
        List<ImportNote> notes = new ArrayList<>();
        Map<String, Element> media = new HashMap<>();
        for (Element d : SafeXml.descendants(SafeXml.child(machine, "MediaRegistry"), "HardDisk")) media.put(SafeXml.attr(d, "uuid"), d);
        Element cpu = first(hw, "CPU");
        Element mem = first(hw, "Memory");
        Element fw = first(hw, "Firmware");
        boolean efi = fw != null && SafeXml.attr(fw, "type") != null && SafeXml.attr(fw, "type").toUpperCase(Locale.ROOT).startsWith("EFI");
        List<ImportedDisk> disks = new ArrayList<>();
        for (Element c : SafeXml.descendants(machine, "StorageController")) controller(c, media, folder, vbox, disks, notes);
        List<ImportedNic> nics = new ArrayList<>();
        for (Element a : SafeXml.descendants(first(hw, "Network"), "Adapter")) nic(a, nics);
        for (Element e : SafeXml.children(hw, null)) {
            if (!MAPPED.contains(SafeXml.local(e))) notes.add(ImportNote.info(SafeXml.local(e), "VirtualBox hardware setting not mapped"));
        }
        Integer cpus = cpu == null ? 1 : integer(SafeXml.attr(cpu, "count"), 1);
        Integer memory = mem == null ? null : integer(SafeXml.attr(mem, "RAMSize"), null);
        return new ImportedVm(SourceKind.VBOX, SafeXml.attr(machine, "name"), cpus, null, memory, efi ? Firmware.UEFI : Firmware.BIOS,
                false, SafeXml.attr(machine, "OSType"), disks, nics, notes);
    }

    private static void controller(Element c, Map<String, Element> media, ImportFolder folder, Path vbox,
                                   List<ImportedDisk> disks, List<ImportNote> notes) {
        ControllerType type = switch (String.valueOf(SafeXml.attr(c, "type"))) {
            case "PIIX3", "PIIX4", "ICH6" -> ControllerType.IDE;
            case "AHCI" -> ControllerType.SATA;
            case "LsiLogic" -> ControllerType.LSILOGIC;
            case "LsiLogicSas" -> ControllerType.LSILOGIC_SAS;
            case "BusLogic" -> ControllerType.BUSLOGIC;
            case "NVMe" -> ControllerType.NVME;
            case "VirtioSCSI" -> ControllerType.VIRTIO;
            default -> ControllerType.UNKNOWN;
        };
        for (Element a : SafeXml.children(c, "AttachedDevice")) {
            String dev = SafeXml.attr(c, "name") + " port " + SafeXml.attr(a, "port") + " device " + SafeXml.attr(a, "device");
            if (!"HardDisk".equals(SafeXml.attr(a, "type"))) {
                notes.add(ImportNote.warning(dev, SafeXml.attr(a, "type") + " not imported"));
                continue;
            }
            Element image = SafeXml.child(a, "Image");
            Element medium = image == null ? null : media.get(SafeXml.attr(image, "uuid"));
            if (medium == null) throw new FerryException(ErrorCode.INVALID_SOURCE, vbox.getFileName() + ": " + dev + " names no registered disk");
            if (!SafeXml.children(medium, "HardDisk").isEmpty()) {
                notes.add(ImportNote.warning(dev, "has differencing (snapshot) children; the base disk is imported as it is"));
            }
            Path file = folder.file(vbox.getParent(), SafeXml.attr(medium, "location"), vbox.getFileName() + " medium");
            ImageFormat format = format(SafeXml.attr(medium, "format"), file);
            if (format == ImageFormat.VMDK) VmdkDescriptor.inspect(file, folder);
            disks.add(new ImportedDisk(dev, type, integer(SafeXml.attr(a, "port"), 0), integer(SafeXml.attr(a, "device"), 0), file, format, null));
        }
    }

    private static ImageFormat format(String declared, Path file) {
        ImageFormat magic = DiskMagic.detect(file);
        ImageFormat want = switch (String.valueOf(declared).toUpperCase(Locale.ROOT)) {
            case "VDI" -> ImageFormat.VDI;
            case "VMDK" -> ImageFormat.VMDK;
            case "VHD" -> ImageFormat.VPC;
            case "RAW" -> ImageFormat.RAW;
            default -> throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " has format '" + declared + "', which Ferry does not import");
        };
        if (want != magic) throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " is registered as " + declared + " but its content is " + magic.driver());
        return want;
    }

    private static void nic(Element a, List<ImportedNic> nics) {
        if (!"true".equals(SafeXml.attr(a, "enabled"))) return;
        String mac = SafeXml.attr(a, "MACAddress");
        if (mac != null && mac.matches("[0-9A-Fa-f]{12}")) mac = mac.toLowerCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
        String network = "nat";
        for (Element att : SafeXml.children(a, null)) {
            String kind = SafeXml.local(att);
            if (kind.equals("DisabledModes")) continue;
            network = SafeXml.attr(att, "name") != null ? SafeXml.attr(att, "name") : kind.toLowerCase(Locale.ROOT);
        }
        String type = SafeXml.attr(a, "type");
        nics.add(new ImportedNic(type == null ? "Am79C973" : type, mac, network));
    }

    private static Element first(Element root, String name) {
        List<Element> l = SafeXml.descendants(root, name);
        return l.isEmpty() ? null : l.get(0);
    }

    private static Integer integer(String v, Integer dflt) {
        try {
            return v == null ? dflt : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, "'" + v + "' is not a number");
        }
    }
}

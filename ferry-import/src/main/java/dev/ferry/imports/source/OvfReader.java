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
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads an OVF envelope (DMTF DSP0243, as VMware, VirtualBox and others write it) into an
 * {@link ImportedVm}. Virtual hardware comes from the {@code Item}s of the VirtualHardwareSection
 * by their CIM resource type (3 CPU, 4 memory, 5 IDE, 6 SCSI, 20 SATA/NVMe, 10 Ethernet, 17 disk),
 * disks from DiskSection and References; every other item and every unsupported feature is
 * reported. Files are named only through {@link ImportFolder}; callers verify the manifest first.
 */
public final class OvfReader {
    static final int CPU = 3, MEMORY = 4, IDE = 5, SCSI = 6, ETHERNET = 10, OTHER_STORAGE = 20, DISK = 17;

    private OvfReader() {}

    record Item(Element e, int type, String id, String parent) {
        String get(String name) { return SafeXml.text(e, name); }
    }

    public static ImportedVm read(Path ovf, ImportFolder folder, SourceKind kind) {
        Document doc = SafeXml.parse(ovf);
        Element env = doc.getDocumentElement();
        if (!SafeXml.local(env).equals("Envelope")) throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + " is not an OVF Envelope");
        List<ImportNote> notes = new ArrayList<>();
        Map<String, String> files = references(env, ovf);
        Map<String, Element> disks = new HashMap<>();
        for (Element d : SafeXml.descendants(SafeXml.child(env, "DiskSection"), "Disk")) disks.put(SafeXml.attr(d, "diskId"), d);
        if (SafeXml.child(env, "VirtualSystemCollection") != null) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + " holds a collection of VMs; import them one at a time");
        }
        Element vs = SafeXml.child(env, "VirtualSystem");
        if (vs == null) throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + " has no VirtualSystem");
        Element hw = SafeXml.child(vs, "VirtualHardwareSection");
        if (hw == null) throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + " has no VirtualHardwareSection");
        String name = SafeXml.text(vs, "Name") != null ? SafeXml.text(vs, "Name") : SafeXml.attr(vs, "id");
        List<Item> items = items(hw, ovf);
        Map<String, Item> byId = new HashMap<>();
        items.forEach(i -> byId.put(i.id(), i));
        Integer cpus = null, cores = null, memory = null;
        List<ImportedDisk> out = new ArrayList<>();
        List<ImportedNic> nics = new ArrayList<>();
        for (Item i : items) {
            switch (i.type()) {
                case CPU -> { cpus = number(i, "VirtualQuantity", ovf); cores = coresPerSocket(i); }
                case MEMORY -> memory = memoryMiB(i, ovf);
                case IDE, SCSI, OTHER_STORAGE -> { }
                case ETHERNET -> nics.add(new ImportedNic(lower(i.get("ResourceSubType")), lower(i.get("Address")), i.get("Connection")));
                case DISK -> out.add(disk(i, byId, disks, files, folder, ovf));
                default -> notes.add(ImportNote.warning("ResourceType " + i.type(), "'" + i.get("ElementName") + "' not imported"));
            }
        }
        Map<String, String> config = vmwConfig(hw);
        boolean efi = "efi".equalsIgnoreCase(config.remove("firmware"));
        boolean secure = "true".equalsIgnoreCase(config.remove("uefi.secureBoot.enabled"));
        config.forEach((k, v) -> notes.add(ImportNote.info("vmw:Config " + k, "not mapped (" + v + ")")));
        otherSections(vs, notes);
        return new ImportedVm(kind, name, cpus, cores, memory, efi ? Firmware.UEFI : Firmware.BIOS, secure, osType(vs), out, nics, notes);
    }

    private static Map<String, String> references(Element env, Path ovf) {
        Map<String, String> files = new HashMap<>();
        for (Element f : SafeXml.children(SafeXml.child(env, "References"), "File")) {
            if (SafeXml.attr(f, "compression") != null || SafeXml.attr(f, "chunkSize") != null) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + ": file " + SafeXml.attr(f, "href")
                        + " is compressed or chunked, which Ferry does not import");
            }
            String href = SafeXml.attr(f, "href");
            ImportFolder.checkName(href, ovf.getFileName() + " References");
            files.put(SafeXml.attr(f, "id"), href);
        }
        return files;
    }

    private static List<Item> items(Element hw, Path ovf) {
        List<Item> items = new ArrayList<>();
        for (Element e : SafeXml.children(hw, null)) {
            String ln = SafeXml.local(e);
            if (!ln.equals("Item") && !ln.equals("StorageItem") && !ln.equals("EthernetPortItem")) continue;
            String type = SafeXml.text(e, "ResourceType");
            try {
                items.add(new Item(e, Integer.parseInt(type), SafeXml.text(e, "InstanceID"), SafeXml.text(e, "Parent")));
            } catch (NumberFormatException ex) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + ": an Item has ResourceType '" + type + "'");
            }
        }
        return items;
    }

    private static ImportedDisk disk(Item i, Map<String, Item> byId, Map<String, Element> disks, Map<String, String> files,
                                     ImportFolder folder, Path ovf) {
        String host = i.get("HostResource");
        String where = ovf.getFileName() + " disk item '" + i.get("ElementName") + "'";
        if (host == null || !host.matches("^(ovf:)?/disk/.+")) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " has HostResource " + host);
        Element d = disks.get(host.substring(host.lastIndexOf('/') + 1));
        if (d == null) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " names disk " + host + ", which DiskSection lacks");
        String href = files.get(SafeXml.attr(d, "fileRef"));
        if (href == null) throw new FerryException(ErrorCode.INVALID_SOURCE, where + ": its disk has no file in References");
        Path file = folder.file(href, where);
        ImageFormat format = format(SafeXml.attr(d, "format"), file);
        if (format == ImageFormat.VMDK) VmdkDescriptor.inspect(file, folder);
        Item ctrl = byId.get(i.parent());
        ControllerType type = ctrl == null ? ControllerType.UNKNOWN : controller(ctrl);
        int bus = ctrl == null ? 0 : parse(ctrl.get("Address"), 0);
        return new ImportedDisk(i.get("ElementName"), type, bus, parse(i.get("AddressOnParent"), 0), file, format, capacity(d));
    }

    static ControllerType controller(Item c) {
        String sub = lower(c.get("ResourceSubType"));
        return switch (c.type()) {
            case IDE -> ControllerType.IDE;
            case SCSI -> sub == null ? ControllerType.LSILOGIC : switch (sub) {
                case "virtualscsi" -> ControllerType.PVSCSI;
                case "buslogic" -> ControllerType.BUSLOGIC;
                case "lsilogicsas" -> ControllerType.LSILOGIC_SAS;
                case "virtio-scsi", "virtioscsi" -> ControllerType.VIRTIO;
                default -> ControllerType.LSILOGIC;
            };
            case OTHER_STORAGE -> sub != null && sub.contains("nvme") ? ControllerType.NVME : ControllerType.SATA;
            default -> ControllerType.UNKNOWN;
        };
    }

    private static ImageFormat format(String url, Path file) {
        ImageFormat magic = DiskMagic.detect(file);
        if (url == null) return magic;
        String u = url.toLowerCase(Locale.ROOT);
        ImageFormat declared = u.contains("vmdk") ? ImageFormat.VMDK : u.contains("vhdx") ? ImageFormat.VHDX
                : u.contains("vhd") ? ImageFormat.VPC : u.contains("qcow") ? ImageFormat.QCOW2 : u.contains("raw") ? ImageFormat.RAW : magic;
        if (declared != magic) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " is declared as " + url + " but its content is " + magic.driver());
        }
        return declared;
    }

    private static Long capacity(Element d) {
        String cap = SafeXml.attr(d, "capacity");
        if (cap == null) return null;
        try {
            return Math.multiplyExact(Long.parseLong(cap), Units.bytes(SafeXml.attr(d, "capacityAllocationUnits")));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, "disk capacity '" + cap + "' is not a valid size");
        }
    }

    private static Integer memoryMiB(Item i, Path ovf) {
        long q = number(i, "VirtualQuantity", ovf);
        long bytes = Math.multiplyExact(q, Units.bytes(i.get("AllocationUnits") == null ? "byte * 2^20" : i.get("AllocationUnits")));
        return (int) Math.min(Integer.MAX_VALUE, bytes >> 20);
    }

    private static Integer coresPerSocket(Item i) {
        String c = SafeXml.text(i.e(), "CoresPerSocket");
        return c == null ? null : parse(c, 1);
    }

    private static Map<String, String> vmwConfig(Element hw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Element c : SafeXml.children(hw, "Config")) out.put(SafeXml.attr(c, "key"), SafeXml.attr(c, "value"));
        for (Element c : SafeXml.children(hw, "ExtraConfig")) out.put("extra:" + SafeXml.attr(c, "key"), SafeXml.attr(c, "value"));
        return out;
    }

    private static String osType(Element vs) {
        Element os = SafeXml.child(vs, "OperatingSystemSection");
        if (os == null) return null;
        List<String> parts = new ArrayList<>();
        if (SafeXml.attr(os, "osType") != null) parts.add(SafeXml.attr(os, "osType"));
        if (SafeXml.text(os, "Description") != null) parts.add(SafeXml.text(os, "Description"));
        if (SafeXml.attr(os, "id") != null) parts.add("cim:" + SafeXml.attr(os, "id"));
        return parts.isEmpty() ? null : String.join(" / ", parts);
    }

    private static void otherSections(Element vs, List<ImportNote> notes) {
        for (Element s : SafeXml.children(vs, null)) {
            String ln = SafeXml.local(s);
            if (List.of("Info", "Name", "VirtualHardwareSection", "OperatingSystemSection").contains(ln)) continue;
            notes.add(ImportNote.info(ln, "OVF section not mapped"));
        }
    }

    private static int number(Item i, String field, Path ovf) {
        String v = i.get(field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, ovf.getFileName() + ": " + field + " '" + v + "' of ResourceType "
                    + i.type() + " is not a number");
        }
    }

    private static int parse(String v, int dflt) {
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static String lower(String s) { return s == null ? null : s.toLowerCase(Locale.ROOT); }
}

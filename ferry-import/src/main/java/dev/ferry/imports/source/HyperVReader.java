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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * Reads the XML configuration Hyper-V exports ({@code Virtual Machines/GUID.xml}, 2008 R2 to 2012
 * R2) into an {@link ImportedVm}: name, generation (2 = UEFI), secure boot, processor count,
 * startup memory, the VHD/VHDX on each IDE or SCSI controller, and synthetic or legacy network
 * adapters with MAC and virtual switch. Disk paths in the file are Windows paths of the old host,
 * so only their file names are used, looked up in the export's {@code Virtual Hard Disks} folder.
 * Newer exports keep a binary {@code .vmcx}; for those the caller describes the VM with flags.
 */
public final class HyperVReader {
    static final String IDE_GUID = "_83f8638b-8dca-4152-9eda-2ca8b33039b4_";
    static final String SCSI_GUID = "_d422512d-2bf2-4752-809d-7b82b5fcb1b4_";

    private HyperVReader() {}

    /** The export root for a configuration file: the folder above {@code Virtual Machines}, else the file's own folder. */
    public static Path exportRoot(Path xml) {
        Path dir = xml.toAbsolutePath().getParent();
        return dir.getFileName() != null && dir.getFileName().toString().equalsIgnoreCase("Virtual Machines") ? dir.getParent() : dir;
    }

    public static ImportedVm read(Path xml, ImportFolder folder) {
        Element root = SafeXml.parse(xml).getDocumentElement();
        if (!SafeXml.local(root).equals("configuration")) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, xml.getFileName() + " is not a Hyper-V configuration (root <configuration>)");
        }
        List<ImportNote> notes = new ArrayList<>();
        Element props = SafeXml.child(root, "properties");
        Element settings = SafeXml.child(root, "settings");
        String name = SafeXml.text(props, "name");
        int generation = "1".equals(SafeXml.text(props, "subtype")) ? 2 : 1;
        Integer cpus = number(SafeXml.text(SafeXml.child(settings, "processors"), "count"), xml);
        Element bank = SafeXml.child(SafeXml.child(settings, "memory"), "bank");
        Integer memory = number(SafeXml.text(bank, "size"), xml);
        if ("true".equalsIgnoreCase(SafeXml.text(bank, "dynamic_memory_enabled"))) {
            notes.add(ImportNote.warning("dynamic_memory_enabled", "Hyper-V dynamic memory is not mapped; the VM gets its startup memory ("
                    + memory + " MiB) fixed"));
        }
        boolean secure = SafeXml.descendants(root, "secure_boot_enabled").stream().anyMatch(e -> "true".equalsIgnoreCase(e.getTextContent().trim()));
        List<ImportedDisk> disks = new ArrayList<>();
        List<ImportedNic> nics = new ArrayList<>();
        for (Element dev : SafeXml.children(root, null)) {
            String ln = SafeXml.local(dev);
            if (ln.equals("properties") || ln.equals("settings")) continue;
            boolean storage = !SafeXml.children(dev, null).stream().filter(c -> SafeXml.local(c).matches("controller\\d+")).toList().isEmpty();
            if (storage) disks(dev, generation, folder, xml, disks, notes);
            else if (SafeXml.child(dev, "Connection") != null) nics.add(nic(dev));
            else if (ln.startsWith("_")) notes.add(ImportNote.info(ln, "Hyper-V device not mapped"));
            else notes.add(ImportNote.info(ln, "Hyper-V setting not mapped"));
        }
        return new ImportedVm(SourceKind.HYPERV, name, cpus, null, memory, generation == 2 ? Firmware.UEFI : Firmware.BIOS, secure,
                "hyperv-generation-" + generation, disks, nics, notes);
    }

    private static void disks(Element dev, int generation, ImportFolder folder, Path xml, List<ImportedDisk> disks, List<ImportNote> notes) {
        String ln = SafeXml.local(dev);
        ControllerType type = ln.equalsIgnoreCase(IDE_GUID) ? ControllerType.IDE : ln.equalsIgnoreCase(SCSI_GUID) ? ControllerType.HYPERV_SCSI
                : generation == 2 ? ControllerType.HYPERV_SCSI : ControllerType.IDE;
        for (Element c : SafeXml.children(dev, null)) {
            if (!SafeXml.local(c).matches("controller\\d+")) continue;
            int bus = Integer.parseInt(SafeXml.local(c).substring("controller".length()));
            for (Element d : SafeXml.children(c, null)) {
                if (!SafeXml.local(d).matches("drive\\d+")) continue;
                int unit = Integer.parseInt(SafeXml.local(d).substring("drive".length()));
                String path = SafeXml.text(d, "pathname");
                String kind = SafeXml.text(d, "type");
                if (path == null || !"VHD".equalsIgnoreCase(kind)) {
                    if (path != null) notes.add(ImportNote.warning(SafeXml.local(c) + "/" + SafeXml.local(d), kind + " drive (" + path + ") not imported"));
                    continue;
                }
                disks.add(disk(path, type, bus, unit, folder, xml));
            }
        }
    }

    private static ImportedDisk disk(String windowsPath, ControllerType type, int bus, int unit, ImportFolder folder, Path xml) {
        String base = windowsPath.substring(Math.max(windowsPath.lastIndexOf('\\'), windowsPath.lastIndexOf('/')) + 1);
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".avhd") || lower.endsWith(".avhdx")) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, base + " is a Hyper-V checkpoint (differencing) disk; merge the checkpoints before importing");
        }
        ImageFormat want = lower.endsWith(".vhdx") ? ImageFormat.VHDX : lower.endsWith(".vhd") ? ImageFormat.VPC : null;
        if (want == null) throw new FerryException(ErrorCode.INVALID_SOURCE, xml.getFileName() + " names disk " + base + ", which is neither VHD nor VHDX");
        Path hdDir = folder.root().resolve("Virtual Hard Disks");
        Path file = folder.file(Files.isRegularFile(hdDir.resolve(base)) ? hdDir : folder.root(), base, xml.getFileName() + " disk " + windowsPath);
        ImageFormat magic = DiskMagic.detect(file);
        if (magic != want) throw new FerryException(ErrorCode.INVALID_SOURCE, base + " is named " + want.driver() + " but its content is " + magic.driver());
        return new ImportedDisk("controller" + bus + "/drive" + unit, type, bus, unit, file, want, null);
    }

    private static ImportedNic nic(Element dev) {
        String mac = SafeXml.text(dev, "address");
        if (mac != null && mac.matches("[0-9A-Fa-f]{12}")) mac = mac.toLowerCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
        else mac = null;
        boolean legacy = SafeXml.children(dev, null).stream().anyMatch(e -> SafeXml.local(e).toLowerCase(Locale.ROOT).contains("legacy")
                && "true".equalsIgnoreCase(e.getTextContent().trim()));
        return new ImportedNic(legacy ? "legacy" : "synthetic", mac, SafeXml.text(SafeXml.child(dev, "Connection"), "AltSwitchName"));
    }

    private static Integer number(String v, Path xml) {
        if (v == null) return null;
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, xml.getFileName() + ": '" + v + "' is not a number");
        }
    }
}

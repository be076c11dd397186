package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.safety.BoundedFiles;
import dev.ferry.imports.safety.ImportFolder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a VMDK's descriptor ourselves, before qemu-img ever opens the file, because qemu-img opens
 * every extent a descriptor names even for {@code info}: a descriptor whose extent is
 * {@code /etc/passwd} or {@code /dev/sda} would otherwise be read as the guest's disk. Covers the
 * text descriptor of monolithicFlat and twoGbMaxExtent* disks and the descriptor embedded in
 * monolithicSparse and streamOptimized files. Extents must be plain names inside the VM's folder;
 * raw-device createTypes and extents are refused, and so are delta disks (a parent link would
 * make QEMU open, and probe the format of, another file).
 */
public final class VmdkDescriptor {
    static final int MAX_DESCRIPTOR_BYTES = 64 << 10;
    private static final Pattern EXTENT = Pattern.compile(
            "^(RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+([A-Za-z]+)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?\\s*$");
    private static final Set<String> CREATE_TYPES = Set.of("monolithicsparse", "monolithicflat", "twogbmaxextentsparse",
            "twogbmaxextentflat", "streamoptimized", "vmfs", "vmfsthin", "vmfssparse");
    private static final Set<String> EXTENT_TYPES = Set.of("FLAT", "SPARSE", "ZERO", "VMFS", "VMFSSPARSE");

    /** What the descriptor says: its createType, the extent files (inside the folder), and the capacity. */
    public record Info(String createType, List<Path> extentFiles, long capacityBytes, String adapterType) {}

    private VmdkDescriptor() {}

    public static Info inspect(Path vmdk, ImportFolder folder) {
        byte[] head = BoundedFiles.head(vmdk, 512);
        String magic = new String(head, 0, Math.min(4, head.length), StandardCharsets.ISO_8859_1);
        if (magic.equals("KDMV")) return sparse(vmdk, head);
        if (magic.equals("COWD")) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " is an ESX 2.x (COWD) sparse disk, which Ferry does not import");
        }
        String text = new String(BoundedFiles.read(vmdk, MAX_DESCRIPTOR_BYTES, "VMDK descriptor"), StandardCharsets.ISO_8859_1);
        if (!text.startsWith("# Disk DescriptorFile") && !text.contains("createType")) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " is neither a VMDK descriptor nor a sparse VMDK");
        }
        int nul = text.indexOf('\0');
        return parse(nul >= 0 ? text.substring(0, nul) : text, vmdk, folder, false);
    }

    private static Info sparse(Path vmdk, byte[] head) {
        if (head.length < 512) throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " has a truncated VMDK header");
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long capacity = b.getLong(12);
        long descOffset = b.getLong(28);
        long descSize = b.getLong(36);
        if (capacity < 0 || capacity > (Long.MAX_VALUE >> 9)) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " declares an impossible capacity");
        }
        if (descOffset <= 0 || descSize <= 0) return new Info("monolithicSparse", List.of(vmdk), capacity << 9, null);
        if (descSize > MAX_DESCRIPTOR_BYTES / 512) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " embeds a descriptor larger than 64 KiB");
        }
        byte[] desc = new byte[(int) descSize * 512];
        try (RandomAccessFile f = new RandomAccessFile(vmdk.toFile(), "r")) {
            if (descOffset > f.length() / 512) throw new FerryException(ErrorCode.INVALID_SOURCE, vmdk.getFileName() + " has a descriptor beyond its end");
            f.seek(descOffset * 512);
            int n = f.read(desc);
            String text = new String(desc, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
            int nul = text.indexOf('\0');
            Info embedded = parse(nul >= 0 ? text.substring(0, nul) : text, vmdk, null, true);
            return new Info(embedded.createType(), List.of(vmdk), capacity << 9, embedded.adapterType());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + vmdk + ": " + e.getMessage(), e);
        }
    }

    /** Parses descriptor text; with {@code embedded} the extents are the file itself and only checked for syntax. */
    static Info parse(String text, Path vmdk, ImportFolder folder, boolean embedded) {
        String where = "VMDK descriptor " + vmdk.getFileName();
        String createType = null;
        String adapter = null;
        long sectors = 0;
        List<Path> files = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = EXTENT.matcher(line);
            if (m.matches()) {
                sectors = Math.addExact(sectors, Long.parseLong(m.group(2)));
                Path f = extent(m, where, vmdk, folder, embedded);
                if (f != null) files.add(f);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) throw new FerryException(ErrorCode.INVALID_SOURCE, where + ": malformed line '" + abbreviate(line) + "'");
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            switch (key) {
                case "createType" -> createType = value;
                case "parentFileNameHint" -> throw delta(where, value);
                case "parentCID" -> { if (!value.equalsIgnoreCase("ffffffff")) throw delta(where, "parentCID " + value); }
                case "ddb.adapterType" -> adapter = value;
                default -> { }
            }
        }
        if (createType == null) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " has no createType");
        if (!CREATE_TYPES.contains(createType.toLowerCase(Locale.ROOT))) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, where + " has createType '" + createType
                    + "'; only monolithicSparse, monolithicFlat, twoGbMaxExtentSparse/Flat, streamOptimized and vmfs disks are imported"
                    + " (raw device mappings are refused)");
        }
        if (!embedded && files.isEmpty()) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " names no extent");
        return new Info(createType, files, sectors << 9, adapter);
    }

    private static Path extent(Matcher m, String where, Path vmdk, ImportFolder folder, boolean embedded) {
        String type = m.group(3).toUpperCase(Locale.ROOT);
        String name = m.group(4);
        if (!EXTENT_TYPES.contains(type)) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, where + " has an extent of type " + type
                    + "; only FLAT, SPARSE, ZERO and VMFS extents are imported (raw device extents are refused)");
        }
        if (type.equals("ZERO")) return null;
        if (name == null) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " has an extent without a file name");
        ImportFolder.checkName(name, where + " extent");
        if (name.contains("/")) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, where + " extent '" + name + "' is not in the descriptor's own folder");
        }
        if (embedded) return null;
        return folder.file(vmdk.getParent(), name, where + " extent");
    }

    private static FerryException delta(String where, String parent) {
        return new FerryException(ErrorCode.UNSAFE_IMAGE, where + " is a delta (snapshot) disk with parent " + parent
                + "; consolidate the snapshots in the source hypervisor before importing");
    }

    static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String abbreviate(String s) { return s.length() > 60 ? s.substring(0, 60) + "..." : s; }
}

package dev.ferry.qemu.img;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether Ferry may let {@code qemu-img} or QEMU open an image, before either does.
 *
 * <p>A qcow2 header names other files QEMU opens on its own: a backing file (with a format, or
 * QEMU probes one), an external data file, and a backing name may even be a {@code json:} or
 * protocol filename ({@code nbd:}, {@code http:}, {@code file:}) that reaches anything the host can
 * reach. Asking {@code qemu-img info} about such an image already opens those files, so the header
 * is parsed here first ({@link Qcow2Header}), and the whole chain is judged from Ferry's own
 * reading: every backing name must be a plain relative or absolute path without {@code ..} and
 * without a colon, resolve (symlinks followed) to a regular file inside the same storage pool, and
 * carry an explicit raw or qcow2 backing format; data files, encryption, unknown incompatible
 * features and chains deeper than {@value #MAX_DEPTH} are refused. Only then does
 * {@link #crossCheck} ask {@code qemu-img info --backing-chain} (under its resource limits) and
 * refuse any disagreement with the own reading.
 *
 * <p>A raw image names no files: whatever its bytes look like (a qcow2 header included), it is
 * opened as raw and its contents are only ever data to the guest. VMDK descriptors (text, or
 * embedded in a sparse VMDK) name extent files; {@link #vmdkExtents} parses them for the same
 * rules, for tools that read VMDK images (VMs themselves only use raw and qcow2).
 */
public final class ImageInspector {
    public static final int MAX_DEPTH = 16;
    private static final int MAX_DESCRIPTOR = 64 << 10;
    private static final Pattern EXTENT = Pattern.compile(
            "^\\s*(RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+(FLAT|SPARSE|ZERO|VMFS|VMFSSPARSE|VMFSRDM|VMFSRAW|SESPARSE)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARENT_HINT = Pattern.compile("^\\s*parentFileNameHint\\s*=\\s*\"([^\"]*)\"\\s*$", Pattern.CASE_INSENSITIVE);

    /** One image of a chain: the file and the format it is opened with. */
    public record Layer(Path path, DiskFormat format) {}

    /**
     * An image judged safe: its chain (the image itself first), the pool that holds all of it, and
     * its virtual size as the own reading saw it (qcow2 header; file size for raw).
     */
    public record Report(Path image, DiskFormat format, Path pool, List<Layer> chain, long virtualSize) {
        public boolean hasBacking() { return chain.size() > 1; }
    }

    private final List<Path> pools;

    /** {@code pools}: the storage pool directories; an image and everything it names must lie in one of them. */
    public ImageInspector(List<Path> pools) {
        this.pools = pools.stream().map(ImageInspector::realDir).toList();
    }

    /** Judges {@code image} opened as {@code declared}; throws {@link ErrorCode#UNSAFE_IMAGE} (or IMAGE_NOT_FOUND). */
    public Report inspect(Path image, DiskFormat declared) {
        Path real = real(image, "image " + image);
        Path pool = poolOf(real).orElseThrow(() -> new FerryException(ErrorCode.UNSAFE_IMAGE,
                image + " is not inside any storage pool (pools: " + pools + ")"));
        List<Layer> chain = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        Path current = real;
        DiskFormat format = declared;
        long virtualSize = -1;
        while (true) {
            if (!seen.add(current)) throw unsafe(image, "has a backing chain that loops back to " + current);
            if (chain.size() >= MAX_DEPTH) throw unsafe(image, "has a backing chain deeper than " + MAX_DEPTH);
            chain.add(new Layer(current, format));
            if (format == DiskFormat.RAW) {
                if (virtualSize < 0) virtualSize = size(current);
                break;
            }
            Qcow2Header h = Qcow2Header.read(current);
            if (virtualSize < 0) virtualSize = h.virtualSize();
            String what = current.equals(real) ? "" : " (backing file " + current + ")";
            if (h.dataFile() != null || h.externalData()) {
                throw unsafe(image, what + " uses an external data file"
                        + (h.dataFile() == null ? "" : " '" + h.dataFile() + "'") + ", which Ferry refuses");
            }
            if (h.encrypted()) throw unsafe(image, what + " is encrypted, which Ferry does not support");
            if (h.unknownIncompatible() != 0) {
                throw unsafe(image, what + " has unknown incompatible qcow2 features 0x" + Long.toHexString(h.unknownIncompatible()));
            }
            if (h.corrupt()) throw unsafe(image, what + " is marked corrupt by QEMU; repair it with qemu-img check -r first");
            if (h.backingFile() == null) break;
            Path backing = resolveReference(image, current, h.backingFile(), pool, "backing file");
            if (h.backingFormat() == null) {
                throw unsafe(image, what + " names backing file '" + h.backingFile() + "' without a backing format; QEMU would"
                        + " probe it. Record it with: qemu-img rebase -u -f qcow2 -F <raw|qcow2> -b '" + h.backingFile() + "' IMAGE");
            }
            format = switch (h.backingFormat().toLowerCase(Locale.ROOT)) {
                case "raw" -> DiskFormat.RAW;
                case "qcow2" -> DiskFormat.QCOW2;
                default -> throw unsafe(image, what + " has backing format '" + h.backingFormat() + "'; only raw and qcow2 are allowed");
            };
            current = backing;
        }
        return new Report(real, declared, pool, List.copyOf(chain), virtualSize);
    }

    /**
     * Asks {@code qemu-img info --backing-chain} about an image {@link #inspect} accepted and refuses
     * it if qemu-img sees a different chain, other formats, a data file, or a file outside the pool.
     */
    public void crossCheck(Report report, QemuImg qemuImg) {
        if (report.format() == DiskFormat.RAW) return; // raw names nothing, and qemu-img would only repeat the file size
        JsonNode infos = qemuImg.infoChain(report.image(), report.format());
        if (!infos.isArray() || infos.size() != report.chain().size()) {
            throw unsafe(report.image(), "has a backing chain of " + infos.size() + " images according to qemu-img, not "
                    + report.chain().size());
        }
        for (int i = 0; i < infos.size(); i++) {
            JsonNode info = infos.get(i);
            Layer expected = report.chain().get(i);
            Path file = Path.of(info.path("filename").asText());
            if (!file.isAbsolute()) file = report.image().getParent().resolve(file);
            Path realFile = real(file, "chain member " + file);
            if (!realFile.equals(expected.path()) || !realFile.startsWith(report.pool())) {
                throw unsafe(report.image(), "has chain member " + file + " according to qemu-img, expected " + expected.path());
            }
            if (!expected.format().json().equals(info.path("format").asText())) {
                throw unsafe(report.image(), "has chain member " + file + " of format " + info.path("format").asText()
                        + " according to qemu-img, expected " + expected.format().json());
            }
            if (info.path("format-specific").path("data").has("data-file")) {
                throw unsafe(report.image(), "uses an external data file according to qemu-img");
            }
        }
    }

    /** {@link #inspect}, then {@link #crossCheck} with qemu-img. */
    public Report inspectAndCrossCheck(Path image, DiskFormat declared, QemuImg qemuImg) {
        Report r = inspect(image, declared);
        crossCheck(r, qemuImg);
        return r;
    }

    /**
     * The files a VMDK image names (its extents, and a parent hint of a linked clone), each checked
     * like a qcow2 backing file: plain path, no {@code ..}, no colon, a regular file in the pool.
     * Reads a text descriptor, or the descriptor embedded in a monolithic sparse VMDK ("KDMV").
     */
    public List<Path> vmdkExtents(Path image) {
        Path real = real(image, "image " + image);
        Path pool = poolOf(real).orElseThrow(() -> new FerryException(ErrorCode.UNSAFE_IMAGE,
                image + " is not inside any storage pool (pools: " + pools + ")"));
        String descriptor = vmdkDescriptor(real);
        List<Path> files = new ArrayList<>();
        for (String line : descriptor.split("\r?\n")) {
            Matcher m = EXTENT.matcher(line);
            if (m.matches()) {
                String type = m.group(3).toUpperCase(Locale.ROOT);
                if (type.equals("ZERO")) continue;
                if (m.group(4) == null) throw unsafe(image, "has a " + type + " extent without a file name");
                if (!type.equals("FLAT") && !type.equals("SPARSE")) {
                    throw unsafe(image, "has a " + type + " extent; only FLAT, SPARSE and ZERO extents are allowed");
                }
                Path f = resolveReference(image, real, m.group(4), pool, "extent");
                if (!f.equals(real)) files.add(f);
                continue;
            }
            Matcher p = PARENT_HINT.matcher(line);
            if (p.matches() && !p.group(1).isEmpty()) {
                files.add(resolveReference(image, real, p.group(1), pool, "parent"));
            }
        }
        return List.copyOf(files);
    }

    private String vmdkDescriptor(Path real) {
        try (InputStream in = Files.newInputStream(real)) {
            byte[] head = in.readNBytes(512);
            if (head.length >= 4 && head[0] == 'K' && head[1] == 'D' && head[2] == 'M' && head[3] == 'V') {
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                long descSector = b.getLong(28);
                long descSectors = b.getLong(36);
                if (descSector <= 0 || descSectors <= 0) return "";
                if (descSectors * 512 > MAX_DESCRIPTOR) throw unsafe(real, "has an embedded VMDK descriptor larger than 64 KiB");
                try (var ch = java.nio.channels.FileChannel.open(real)) {
                    ByteBuffer d = ByteBuffer.allocate((int) (descSectors * 512));
                    long pos = descSector * 512;
                    while (d.hasRemaining() && ch.read(d, pos + d.position()) > 0) { /* fill */ }
                    return new String(d.array(), 0, d.position(), StandardCharsets.UTF_8).replace("\0", "");
                }
            }
            byte[] rest = in.readNBytes(MAX_DESCRIPTOR - head.length + 1);
            if (head.length + rest.length > MAX_DESCRIPTOR) throw unsafe(real, "is not a VMDK descriptor (over 64 KiB of text)");
            byte[] all = new byte[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            String text = new String(all, StandardCharsets.UTF_8);
            if (!text.contains("# Disk DescriptorFile")) throw unsafe(real, "is neither a sparse VMDK nor a VMDK descriptor");
            return text;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "cannot read " + real + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a file name found inside an image ({@code from}) the way QEMU would for a plain path,
     * after refusing every form that is not a plain path: {@code json:}, protocol prefixes (any
     * colon), {@code ..} components, and results outside {@code pool}.
     */
    private Path resolveReference(Path image, Path from, String name, Path pool, String kind) {
        String shown = "'" + name + "'";
        if (name.startsWith("json:")) throw unsafe(image, "names a json: " + kind + " " + shown + ", which Ferry refuses");
        if (name.indexOf(':') >= 0) throw unsafe(image, "names " + kind + " " + shown + " with a protocol or colon, which Ferry refuses");
        if (name.isBlank()) throw unsafe(image, "names an empty " + kind);
        for (String part : name.split("/")) {
            if (part.equals("..")) throw unsafe(image, "names " + kind + " " + shown + " with a '..' component, which Ferry refuses");
        }
        Path p = Path.of(name);
        Path resolved = (p.isAbsolute() ? p : from.getParent().resolve(p)).normalize();
        if (!resolved.startsWith(pool)) throw unsafe(image, "names " + kind + " " + shown + " outside its storage pool " + pool);
        Path real = real(resolved, kind + " " + resolved + " of " + image);
        if (!real.startsWith(pool)) {
            throw unsafe(image, "names " + kind + " " + shown + " that resolves (through a link) to " + real + ", outside its pool " + pool);
        }
        return real;
    }

    private Optional<Path> poolOf(Path real) { return pools.stream().filter(real::startsWith).findFirst(); }

    private static Path real(Path p, String what) {
        try {
            Path r = p.toRealPath();
            if (!Files.isRegularFile(r)) throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, what + " is not a regular file");
            return r;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, what + " does not exist or is not readable");
        }
    }

    private static Path realDir(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static FerryException unsafe(Path image, String why) {
        return new FerryException(ErrorCode.UNSAFE_IMAGE, image + (why.startsWith(" ") ? "" : " ") + why);
    }
}

package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.model.SourceKind;
import dev.ferry.imports.safety.BoundedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides what an import path is, by content first (tar magic, disk magic, the XML root element,
 * VMX keys) and by file name only where content cannot tell. A folder is searched for exactly one
 * description ({@code .vmx}, {@code .ovf}, {@code .vbox}, or Hyper-V's {@code Virtual Machines/*.xml}).
 */
public final class SourceDetector {
    private static final Pattern XML_ROOT = Pattern.compile("<\\s*(?:[A-Za-z_][\\w.-]*:)?([A-Za-z_][\\w.-]*)");

    public record Source(SourceKind kind, Path file) {}

    private SourceDetector() {}

    public static Source detect(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) return inFolder(p);
        if (!Files.isRegularFile(p)) throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "import source " + path + " does not exist");
        return new Source(kindOf(p), p);
    }

    static SourceKind kindOf(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".vmcx")) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, p.getFileName() + " is a binary Hyper-V configuration, which Ferry cannot read;"
                    + " import the VHDX itself and describe the VM with --cpus, --memory and --generation");
        }
        byte[] head = BoundedFiles.head(p, 4096);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (head.length >= 262 && text.startsWith("ustar", 257)) return SourceKind.OVA;
        String xmlRoot = xmlRoot(head);
        if (xmlRoot != null) {
            return switch (xmlRoot) {
                case "Envelope" -> SourceKind.OVF;
                case "VirtualBox" -> SourceKind.VBOX;
                case "configuration" -> SourceKind.HYPERV;
                default -> throw new FerryException(ErrorCode.INVALID_SOURCE, p.getFileName() + " is XML with root <" + xmlRoot
                        + ">, which is neither OVF, VirtualBox nor Hyper-V");
            };
        }
        if (n.endsWith(".vmx") || text.contains("virtualHW.version") || text.contains("config.version")) return SourceKind.VMX;
        if (n.endsWith(".ova")) throw new FerryException(ErrorCode.INVALID_SOURCE, p.getFileName() + " is not a tar archive");
        if (n.endsWith(".ovf") || n.endsWith(".vbox") || n.endsWith(".xml")) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, p.getFileName() + " is not well-formed XML");
        }
        return SourceKind.DISK;
    }

    /** The local name of the first element, if the bytes look like XML (UTF-8 or UTF-16, with or without BOM). */
    static String xmlRoot(byte[] head) {
        String s = decode(head).stripLeading();
        if (!s.startsWith("<")) return null;
        int i = 0;
        while (i < s.length()) {
            int lt = s.indexOf('<', i);
            if (lt < 0 || lt + 1 >= s.length()) return null;
            char c = s.charAt(lt + 1);
            if (c == '?' || c == '!') {
                i = lt + 1;
                continue;
            }
            Matcher m = XML_ROOT.matcher(s.substring(lt));
            return m.lookingAt() ? m.group(1) : null;
        }
        return null;
    }

    private static String decode(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        if (b.length >= 2 && b[0] == '<' && b[1] == 0) return new String(b, StandardCharsets.UTF_16LE);
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) return new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static Source inFolder(Path dir) {
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(vmx|ovf|vbox)$")).sorted().toList();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            Path vms = dir.resolve("Virtual Machines");
            if (Files.isDirectory(vms)) {
                try (Stream<Path> s = Files.list(vms)) {
                    found = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")).sorted().toList();
                } catch (IOException e) {
                    throw new FerryException(ErrorCode.IO_ERROR, "cannot list " + vms + ": " + e.getMessage(), e);
                }
            }
        }
        if (found.size() != 1) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, dir + " holds " + (found.isEmpty() ? "no" : found.size())
                    + " VM descriptions (.vmx, .ovf, .vbox or Virtual Machines/*.xml); name the file to import");
        }
        return new Source(kindOf(found.get(0)), found.get(0));
    }
}

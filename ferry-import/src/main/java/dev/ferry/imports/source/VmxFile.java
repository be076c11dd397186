package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.model.ImportNote;
import dev.ferry.imports.safety.BoundedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A parsed VMware {@code .vmx} file: {@code key = "value"} lines, keys case-insensitive. It
 * remembers which keys the reader used, so every key left over can be put in the import report
 * (grouped by device, e.g. all {@code sound.*} keys in one note): nothing is dropped silently.
 * A line that is not a key/value pair or a comment makes the whole file invalid, as it does for
 * VMware itself.
 */
final class VmxFile {
    static final int MAX_VMX_BYTES = 1 << 20;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:\\-\\[\\]]+");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    static VmxFile read(Path file) {
        String text = new String(BoundedFiles.read(file, MAX_VMX_BYTES, "VMX file"), StandardCharsets.UTF_8);
        VmxFile vmx = new VmxFile();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (eq < 0 || !KEY.matcher(key).matches() || !value.startsWith("\"") || !value.endsWith("\"") || value.length() < 2) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " line " + (i + 1)
                        + " is not a VMX setting (key = \"value\"): '" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'");
            }
            vmx.values.put(key.toLowerCase(Locale.ROOT), value.substring(1, value.length() - 1));
        }
        if (vmx.values.isEmpty()) throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " holds no VMX settings");
        return vmx;
    }

    /** The value of {@code key} (case-insensitive), marking it used; null if absent. */
    String get(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        used.add(k);
        return values.get(k);
    }

    boolean isTrue(String key) {
        String v = get(key);
        return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equals("1"));
    }

    Integer integer(String key) {
        String v = get(key);
        if (v == null) return null;
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.INVALID_SOURCE, "VMX setting " + key + " = \"" + v + "\" is not a number");
        }
    }

    /** All keys matching {@code regex} (lower-case keys), in file order. */
    List<String> keys(String regex) {
        Pattern p = Pattern.compile(regex);
        return values.keySet().stream().filter(k -> p.matcher(k).matches()).toList();
    }

    /** One note per device prefix for every key no reader asked for. */
    List<ImportNote> unusedNotes() {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (used.contains(e.getKey())) continue;
            String k = e.getKey();
            int cut = k.indexOf('.');
            String group = cut > 0 ? k.substring(0, cut) : k;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(k + "=" + e.getValue());
        }
        List<ImportNote> notes = new ArrayList<>();
        groups.forEach((g, kv) -> notes.add(new ImportNote(IGNORABLE.contains(g.replaceAll("\\d+(:\\d+)?$", "")) ? "info" : "warning",
                g, "not mapped: " + String.join(", ", kv.size() > 6 ? kv.subList(0, 6) : kv) + (kv.size() > 6 ? " (+" + (kv.size() - 6) + " more)" : ""))));
        return notes;
    }

    /** Bookkeeping of the VMware product that has no meaning for the guest on KVM. */
    private static final Set<String> IGNORABLE = Set.of(".encoding", "config", "virtualhw", "vmci", "tools", "uuid", "vc",
            "extendedconfigfile", "nvram", "pcibridge", "hpet", "toolscripts", "cleanshutdown", "softpoweroff", "checkpoint",
            "migrate", "sched", "numa", "vmotion", "monitor", "replay", "svga", "mks", "guestinfo", "annotation", "displayname",
            "memsize", "numvcpus", "guestos", "firmware", "powertype", "filesearchpath", "msg", "vmxstats", "guestos.detailed");
}

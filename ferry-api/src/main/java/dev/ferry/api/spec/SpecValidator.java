package dev.ferry.api.spec;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a {@link VmSpec} for everything that can be known without looking at a host: names,
 * ranges, explicit formats, unique disk ids, absolute paths, exactly one boot method. All problems
 * are collected and reported together in one {@link ErrorCode#INVALID_SPEC} error, so an operator
 * fixes a spec in one round. Host-dependent checks (files exist, networks exist) are the agent's.
 */
public final class SpecValidator {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DISK_ID = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Pattern QEMU_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private SpecValidator() {}

    /** Throws {@link FerryException} ({@code INVALID_SPEC}) listing every problem found. */
    public static void validate(VmSpec spec) {
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new FerryException(ErrorCode.INVALID_SPEC, "invalid VM spec: " + String.join("; ", problems));
        }
    }

    public static List<String> problems(VmSpec spec) {
        List<String> p = new ArrayList<>();
        if (spec == null) return List.of("the spec is empty");
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            p.add("name must match " + NAME.pattern() + " (got " + quote(spec.name()) + ")");
        }
        if (spec.uuid() != null && !isUuid(spec.uuid())) p.add("uuid " + quote(spec.uuid()) + " is not a UUID");
        range(p, "vcpus", spec.vcpus(), 1, 64);
        range(p, "memoryMiB", spec.memoryMiB(), 16, 1_048_576);
        if (spec.cpuModel() != null && !QEMU_NAME.matcher(spec.cpuModel()).matches()) {
            p.add("cpuModel " + quote(spec.cpuModel()) + " is not a valid CPU model name");
        }
        if (spec.machine() != null && !QEMU_NAME.matcher(spec.machine()).matches()) {
            p.add("machine " + quote(spec.machine()) + " is not a valid machine type name");
        }
        if (spec.serialLog() != null && !spec.serialLog().startsWith("/")) p.add("serialLog must be an absolute path");
        Set<String> diskIds = checkDisks(p, spec.disks());
        checkBoot(p, spec.boot(), diskIds);
        checkNics(p, spec.nics());
        return p;
    }

    private static Set<String> checkDisks(List<String> p, List<DiskSpec> disks) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < disks.size(); i++) {
            DiskSpec d = disks.get(i);
            String where = "disks[" + i + "]";
            if (d == null) { p.add(where + " is empty"); continue; }
            if (d.id() == null || !DISK_ID.matcher(d.id()).matches()) {
                p.add(where + ".id must match " + DISK_ID.pattern() + " (got " + quote(d.id()) + ")");
            } else if (!ids.add(d.id())) {
                p.add(where + ".id '" + d.id() + "' is used twice");
            }
            absolutePath(p, where + ".path", d.path());
            if (d.format() == null) p.add(where + ".format is required (raw or qcow2); Ferry never guesses a format");
        }
        return ids;
    }

    private static void checkBoot(List<String> p, BootSpec boot, Set<String> diskIds) {
        if (boot == null) { p.add("boot is required (kernel, or disk)"); return; }
        if ((boot.kernel() == null) == (boot.disk() == null)) {
            p.add("boot needs exactly one of kernel and disk");
            return;
        }
        if (boot.kernel() != null) {
            absolutePath(p, "boot.kernel", boot.kernel());
            if (boot.initrd() != null) absolutePath(p, "boot.initrd", boot.initrd());
            if (boot.cmdline() != null && boot.cmdline().length() > 4096) p.add("boot.cmdline is longer than 4096");
        } else {
            if (boot.initrd() != null || boot.cmdline() != null) p.add("boot.initrd and boot.cmdline need boot.kernel");
            if (!diskIds.contains(boot.disk())) p.add("boot.disk names no disk: " + quote(boot.disk()));
        }
    }

    private static void checkNics(List<String> p, List<NicSpec> nics) {
        Set<String> macs = new HashSet<>();
        for (int i = 0; i < nics.size(); i++) {
            NicSpec n = nics.get(i);
            String where = "nics[" + i + "]";
            if (n == null) { p.add(where + " is empty"); continue; }
            if (n.network() == null || n.network().isBlank()) p.add(where + ".network is required");
            if (n.mac() != null) {
                String mac = n.mac().toLowerCase();
                if (!MAC.matcher(mac).matches()) {
                    p.add(where + ".mac " + quote(n.mac()) + " is not a MAC address");
                } else if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1) {
                    p.add(where + ".mac " + n.mac() + " is a multicast address");
                } else if (!macs.add(mac)) {
                    p.add(where + ".mac " + n.mac() + " is used twice");
                }
            }
        }
    }

    private static void range(List<String> p, String field, Integer v, int min, int max) {
        if (v == null) p.add(field + " is required");
        else if (v < min || v > max) p.add(field + " must be between " + min + " and " + max + " (got " + v + ")");
    }

    private static void absolutePath(List<String> p, String field, String path) {
        if (path == null || path.isBlank()) p.add(field + " is required");
        else if (!path.startsWith("/")) p.add(field + " must be an absolute path (got " + quote(path) + ")");
        else if (path.contains("/../") || path.endsWith("/..")) p.add(field + " must not contain '..'");
        else if (path.indexOf(',') >= 0 || path.indexOf('\0') >= 0) p.add(field + " must not contain ',' or NUL");
    }

    private static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String quote(String s) { return s == null ? "nothing" : "'" + s + "'"; }
}

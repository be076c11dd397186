package dev.ferry.agent.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds how much of a guest's RAM is resident in its QEMU process, from the text of
 * {@code /proc/PID/smaps}. QEMU keeps guest RAM in one private anonymous read-write mapping of
 * exactly the RAM size; pages the guest never touched are not resident there, and those are the
 * pages the first pre-copy pass sends as zero-page headers only. So the mapping's {@code Rss} (plus
 * its {@code Swap}, which must be sent as well) bounds from above what that pass sends in full
 * (from above: transparent huge pages make a touched 4 KiB page count as 2 MiB, and pages the guest
 * zeroed again stay resident). The TCG code buffer (rwx), guard pages (no access), file mappings
 * and smaller RAM blocks (firmware, video memory) never match. Should two mappings have the size,
 * the one QEMU marked do-not-fork (VmFlags {@code dc}, as it marks every RAM block) is taken; if that
 * does not single one out, the answer is unknown rather than a guess. Pure: text in, number out,
 * and malformed text gives null instead of an exception.
 */
final class GuestRamSmaps {
    /** "7fce7fe00000-7fce8fe00000 rw-p 00000000 00:00 0     [optional path]" */
    private static final Pattern HEADER =
            Pattern.compile("^[0-9a-f]+-[0-9a-f]+\\s+(\\S{4})\\s+[0-9a-f]+\\s+\\S+\\s+(\\d+)\\s*(.*)$");

    private GuestRamSmaps() {}

    /**
     * @param smaps    the whole text of /proc/PID/smaps
     * @param ramBytes the guest's RAM size
     * @return resident (plus swapped-out) bytes of the RAM mapping, or null when none or several
     *         indistinguishable mappings fit, or the text is malformed
     */
    static Long residentBytes(String smaps, long ramBytes) {
        if (smaps == null || ramBytes <= 0 || ramBytes % 1024 != 0) return null;
        try {
            List<Mapping> candidates = new ArrayList<>();
            for (Mapping m : parse(smaps)) {
                if (m.isGuestRamShaped(ramBytes / 1024)) candidates.add(m);
            }
            if (candidates.size() > 1) candidates.removeIf(m -> !m.doNotFork);
            if (candidates.size() != 1) return null;
            Mapping ram = candidates.get(0);
            return ram.rssKb < 0 ? null : (ram.rssKb + Math.max(0, ram.swapKb)) * 1024;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<Mapping> parse(String smaps) {
        List<Mapping> out = new ArrayList<>();
        Mapping current = null;
        for (String line : smaps.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                current = new Mapping(h.group(1), Long.parseLong(h.group(2)), h.group(3).strip());
                out.add(current);
            } else if (current != null) {
                current.field(line);
            }
        }
        return out;
    }

    /** One mapping's header and the fields this class needs; -1 for a field not seen. */
    private static final class Mapping {
        final String perms;
        final long inode;
        final String path;
        long sizeKb = -1;
        long rssKb = -1;
        long swapKb = -1;
        boolean doNotFork;

        Mapping(String perms, long inode, String path) {
            this.perms = perms;
            this.inode = inode;
            this.path = path;
        }

        void field(String line) {
            if (line.startsWith("Size:")) sizeKb = kb(line);
            else if (line.startsWith("Rss:")) rssKb = kb(line);
            else if (line.startsWith("Swap:")) swapKb = kb(line);
            else if (line.startsWith("VmFlags:")) doNotFork = (" " + line.substring(8) + " ").contains(" dc ");
        }

        /** Private, read-write, not executable, anonymous, and exactly the RAM's size. */
        boolean isGuestRamShaped(long ramKb) {
            boolean anonymous = inode == 0 && (path.isEmpty() || path.startsWith("[anon:"));
            return "rw-p".equals(perms) && anonymous && sizeKb == ramKb;
        }

        /** "Rss:              131072 kB" -> 131072 */
        private static long kb(String line) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length < 2) throw new NumberFormatException("no value in: " + line);
            return Long.parseLong(parts[1]);
        }
    }
}

package dev.ferry.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The smaps parser against mappings taken from a real QEMU 10 TCG guest with -m 256 (the RAM
 * mapping half resident, its guard page, the 1 GiB rwx TCG code buffer, firmware RAM, QEMU's heap,
 * thread stacks, the binary) and against hand-made variants: swap, a code buffer or a file of the
 * RAM's size, ambiguous and malformed input.
 */
class GuestRamSmapsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void takesTheResidentSizeOfTheAnonymousMappingOfExactlyTheRamSize() throws IOException {
        assertThat(GuestRamSmaps.residentBytes(sample(), 256 * MIB)).isEqualTo(128 * MIB);
    }

    @Test
    void noMappingOfTheRamSizeIsUnknown() throws IOException {
        assertThat(GuestRamSmaps.residentBytes(sample(), 512 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(sample(), 1024 * MIB)).as("the TCG buffer is 1 GiB - 4 KiB, and rwx").isNull();
    }

    @Test
    void swappedOutRamCountsAsWellBecauseItMustBeSent() {
        String smaps = mapping("7f0000000000-7f0010000000", "rw-p", "0", "", 262144, 1000, 24, "rd wr mr mw me dc ac hg mg");

        assertThat(GuestRamSmaps.residentBytes(smaps, 256 * MIB)).isEqualTo(1024L * 1024);
    }

    @Test
    void ignoresExecutableFileBackedAndInaccessibleMappingsOfTheRamSize() {
        String smaps = mapping("7f0000000000-7f0040000000", "rwxp", "0", "", 1048576, 900_000, 0, "rd wr ex mr mw me ac hg")
                + mapping("7f0040000000-7f0080000000", "rw-p", "123", "/dev/shm/guest-ram", 1048576, 800_000, 0, "rd wr mr mw me dc")
                + mapping("7f0080000000-7f00c0000000", "---p", "0", "", 1048576, 0, 0, "mr mw me")
                + mapping("7f00c0000000-7f0100000000", "rw-s", "0", "/memfd:ram (deleted)", 1048576, 700_000, 0, "rd wr sh mr mw me");

        assertThat(GuestRamSmaps.residentBytes(smaps, 1024 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(smaps + mapping("7f0100000000-7f0140000000", "rw-p", "0", "", 1048576, 4096, 0,
                "rd wr mr mw me dc ac hg mg"), 1024 * MIB)).isEqualTo(4 * MIB);
    }

    @Test
    void ofSeveralMappingsOfTheRamSizeTakesTheOneQemuMarkedAsRamOrNone() throws IOException {
        String stack = mapping("7f0000000000-7f0000800000", "rw-p", "0", "", 8192, 16, 0, "rd wr mr mw me ac nh");
        String ram = mapping("7f1000000000-7f1000800000", "rw-p", "0", "", 8192, 6144, 0, "rd wr mr mw me dc ac hg mg");

        assertThat(GuestRamSmaps.residentBytes(stack + ram + stack, 8 * MIB)).isEqualTo(6 * MIB);
        assertThat(GuestRamSmaps.residentBytes(sample(), 8 * MIB)).as("two thread stacks, no RAM: no guess").isNull();
        assertThat(GuestRamSmaps.residentBytes(ram + ram, 8 * MIB)).as("two marked ones: no guess").isNull();
        assertThat(GuestRamSmaps.residentBytes(stack, 8 * MIB)).as("a single unmarked fit is taken").isEqualTo(16 * 1024L);
    }

    @Test
    void malformedOrEmptyInputIsUnknownAndNeverThrows() throws IOException {
        String ramHeader = "7f0000000000-7f0010000000 rw-p 00000000 00:00 0 \n";

        assertThat(GuestRamSmaps.residentBytes("", 256 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(null, 256 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(sample(), 0)).isNull();
        assertThat(GuestRamSmaps.residentBytes(sample(), 256 * MIB + 1)).isNull();
        assertThat(GuestRamSmaps.residentBytes(ramHeader + "Size: 262144 kB\n", 256 * MIB)).as("no Rss line").isNull();
        assertThat(GuestRamSmaps.residentBytes(ramHeader + "Size: 262144 kB\nRss: lots kB\n", 256 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(ramHeader + "Size: 262144 kB\nRss:\n", 256 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes("garbage\nRss: 5 kB\n", 256 * MIB)).isNull();
        assertThat(GuestRamSmaps.residentBytes(sample().substring(0, sample().indexOf("Rss:              131072")), 256 * MIB))
                .as("cut off before the RAM mapping's Rss (the process exited while it was read)").isNull();
    }

    private static String mapping(String range, String perms, String inode, String path, long sizeKb, long rssKb, long swapKb,
                                  String flags) {
        return range + " " + perms + " 00000000 00:00 " + inode + (path.isEmpty() ? " " : "                 " + path) + "\n"
                + "Size:           " + sizeKb + " kB\nKernelPageSize:        4 kB\nRss:            " + rssKb + " kB\n"
                + "Anonymous:      " + rssKb + " kB\nSwap:           " + swapKb + " kB\nVmFlags: " + flags + " \n";
    }

    private static String sample() throws IOException {
        try (InputStream in = GuestRamSmapsTest.class.getResourceAsStream("smaps-qemu10-tcg-256m.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

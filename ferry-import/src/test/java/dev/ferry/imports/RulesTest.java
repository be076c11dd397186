package dev.ferry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.imports.disk.DiskConverter;
import dev.ferry.imports.map.GuestOs;
import dev.ferry.imports.testing.ImportDirs;
import dev.ferry.imports.testing.Img;
import dev.ferry.qemu.img.ImageFormat;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The small rules the import depends on: which OS types get virtio, the virtual-size rule at its
 * boundaries, and that conversion progress really comes while qemu-img runs (from its I/O
 * counters), rises monotonically and ends at the total.
 */
class RulesTest {
    @Test
    void onlyRecentLinuxGuestsAreAssumedToHaveVirtio() {
        for (String os : List.of("ubuntu-64", "debian11-64", "rhel8-64", "Ubuntu Linux (64-bit)", "Debian_64", "centos7-64", "linux")) {
            assertThat(GuestOs.hasVirtio(os)).as(os).isTrue();
        }
        for (String os : List.of("windows2019srv-64", "Windows10_64", "winNetEnterprise", "other24xlinux", "rhel4", "solaris11-64",
                "hyperv-generation-2", "cim:94", "other")) {
            assertThat(GuestOs.hasVirtio(os)).as(os).isFalse();
        }
        assertThat(GuestOs.hasVirtio(null)).isFalse();
    }

    @Test
    void sizeRuleCapAndRatio() throws Exception {
        var check = dev.ferry.imports.disk.ImageInspector.class.getDeclaredMethod("checkSize", String.class, long.class, long.class, long.class);
        check.setAccessible(true);
        long gib = 1L << 30;
        long cap = 16L << 40;
        check.invoke(null, "a", 64 * gib, 1, cap);
        check.invoke(null, "b", 4096 * gib, gib, cap);
        assertThatThrownBy(() -> invoke(check, 64 * gib + 1, 1, cap)).hasMessageContaining("4096 times");
        assertThatThrownBy(() -> invoke(check, 4096 * gib + 1, gib, cap)).hasMessageContaining("4096 times");
        assertThatThrownBy(() -> invoke(check, cap + 1, cap, cap)).hasMessageContaining("above the limit");
    }

    static void invoke(java.lang.reflect.Method m, long virtual, long file, long cap) throws Throwable {
        try {
            m.invoke(null, "x", virtual, file, cap);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void conversionProgressComesFromQemuImgWhileItRuns() {
        Path dir = ImportDirs.create("progress");
        try {
            Path raw = dir.resolve("big.raw");
            Img.run(List.of("dd", "if=/dev/urandom", "of=" + raw, "bs=1M", "count=768", "status=none"));
            List<long[]> updates = new ArrayList<>();
            DiskConverter.Conversion c = new DiskConverter(QemuImg.system()).convert(raw, ImageFormat.RAW, dir.resolve("big.qcow2"),
                    ImageFormat.QCOW2, null, (done, total) -> updates.add(new long[] {done, total}));
            System.out.println("progress updates: " + updates.size() + ", expected " + c.expectedBytes() + " B, target allocates " + c.allocatedBytes()
                    + " B in " + c.millis() + " ms (convert + compare)");
            assertThat(c.identical()).isTrue();
            assertThat(updates.size()).as("updates while qemu-img ran").isGreaterThan(2);
            for (int i = 1; i < updates.size(); i++) assertThat(updates.get(i)[0]).isGreaterThanOrEqualTo(updates.get(i - 1)[0]);
            assertThat(updates.get(updates.size() - 1)[0]).isEqualTo(c.expectedBytes());
            assertThat(updates.stream().filter(u -> u[0] > 0 && u[0] < u[1]).count()).as("intermediate readings").isPositive();
        } finally {
            ImportDirs.delete(dir);
        }
    }
}

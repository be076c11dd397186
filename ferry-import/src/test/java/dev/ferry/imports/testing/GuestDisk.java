package dev.ferry.imports.testing;

import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data disk every import fixture starts from: a raw image the test guest's disk worker has
 * written records to (booted once with {@code ferry.disk=vda} until two DISK-OK lines, then
 * powered down so the worker ends with DISK-STOP). Converting it into a foreign format and importing
 * it back must give a disk on which the worker, with {@code ferry.diskro=1}, finds every record:
 * {@code DISK-VERIFY records>0 max_seq=<the DISK-STOP seq> bad=0 missing=0}. Built once per JVM.
 */
public final class GuestDisk {
    public static final int SIZE_MIB = 32;
    private static GuestDisk instance;

    private final Path raw;
    private final long lastSeq;

    private GuestDisk(Path raw, long lastSeq) {
        this.raw = raw;
        this.lastSeq = lastSeq;
    }

    public static synchronized GuestDisk get() {
        if (instance == null) instance = write();
        return instance;
    }

    /** The raw image (do not modify it: tests convert copies of it). */
    public Path raw() { return raw; }

    /** The seq of the last record the writer put on the disk (its DISK-STOP line). */
    public long lastSeq() { return lastSeq; }

    private static GuestDisk write() {
        Path dir = ImportDirs.create("golden");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ImportDirs.delete(dir)));
        Path raw = dir.resolve("data.raw");
        Img.run(List.of("qemu-img", "create", "-q", "-f", "raw", raw.toString(), SIZE_MIB + "M"));
        VmSpec spec = new VmSpec("writer", null, 1, 128, null, "q35", null, null,
                List.of(new DiskSpec("data", raw.toString(), DiskFormat.RAW, DiskBus.VIRTIO_BLK, null)), List.of(), null);
        try (GuestRun g = GuestRun.boot(spec, "ferry.disk=vda ferry.diskrate=400", dir.resolve("run"))) {
            g.await("^FERRY-GUEST-READY .*disk=vda", Duration.ofSeconds(90));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (g.countLines("^DISK-OK ") < 2) {
                if (System.nanoTime() > deadline) throw new AssertionError("the disk worker wrote nothing: " + g.serial());
                GuestRun.sleep(200);
            }
            if (!g.powerDown()) throw new AssertionError("the writer guest did not power off");
            String stop = g.await("^DISK-STOP ", Duration.ofSeconds(5));
            Matcher m = Pattern.compile("seq=(\\d+) bad=0").matcher(stop);
            if (!m.find()) throw new AssertionError("the writer ended badly: " + stop);
            return new GuestDisk(raw, Long.parseLong(m.group(1)));
        }
    }

    /** Boots {@code spec} (whose first disk must be virtio-blk, {@code vda}) read-only and returns its DISK-VERIFY line. */
    public static String verify(VmSpec spec, Path runDir) {
        try (GuestRun g = GuestRun.boot(spec, "ferry.disk=vda ferry.diskro=1", runDir)) {
            return g.await("^DISK-VERIFY ", Duration.ofSeconds(120));
        }
    }

    /** Asserts a DISK-VERIFY line shows every record of this disk intact. */
    public void assertIntact(String verifyLine) {
        Matcher m = Pattern.compile("records=(\\d+) max_seq=(\\d+) bad=(\\d+) missing=(\\d+)").matcher(verifyLine);
        if (!m.find()) throw new AssertionError("not a DISK-VERIFY line: " + verifyLine);
        long records = Long.parseLong(m.group(1));
        if (records == 0 || Long.parseLong(m.group(2)) != lastSeq || !m.group(3).equals("0") || !m.group(4).equals("0")) {
            throw new AssertionError("disk data not intact: " + verifyLine + " (the writer's last seq was " + lastSeq + ")");
        }
    }

    static void check(IOException e) { throw new UncheckedIOException(e); }
}

package dev.ferry.cli.lab;

import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.Firmware;
import dev.ferry.api.spec.NicModel;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The VM the demo moves: Ferry's test guest ({@code guest/}), built by its own script, with a memory
 * worker that rewrites 64 MiB at 20 MiB/s and checks every page, a 100 ms heartbeat, and a disk
 * worker on a raw data disk in the shared pool. Those self-checks are what let the demo say "the
 * guest survived the move intact" from the guest's own mouth rather than from QEMU's status.
 */
public final class DemoGuest {
    public static final String VM = "demo";
    public static final int MEMORY_MIB = 256;
    public static final long DISK_BYTES = 64L << 20;
    public static final String CMDLINE = "console=ttyS0 quiet panic=-1 ferry.mem=64 ferry.rate=20 ferry.hb=100 ferry.disk=vda";

    /** The built kernel and initramfs. */
    public record Boot(Path kernel, Path initrd) {}

    private DemoGuest() {}

    /** Runs {@code guest/build.sh} (a no-op when nothing changed) and reads its KERNEL=/INITRD= lines. */
    public static Boot build(Path home, Shell shell) {
        Path script = home.resolve("guest").resolve("build.sh");
        if (!Files.isExecutable(script)) {
            throw new LabException("cannot find the guest's build script " + script + " (is ferry.home " + home + " the repository?)");
        }
        Shell.Result r = shell.run(List.of(script.toString()));
        if (!r.ok()) throw new LabException("building the demo guest failed (" + script + "): " + r.lastLine());
        return parseBuildOutput(r.output());
    }

    static Boot parseBuildOutput(String output) {
        String kernel = null, initrd = null;
        for (String line : output.lines().toList()) {
            if (line.startsWith("KERNEL=")) kernel = line.substring(7).strip();
            if (line.startsWith("INITRD=")) initrd = line.substring(7).strip();
        }
        if (kernel == null || initrd == null) {
            throw new LabException("guest/build.sh did not print KERNEL= and INITRD= lines; its last line was: "
                    + new Shell.Result(0, output).lastLine());
        }
        return new Boot(Path.of(kernel), Path.of(initrd));
    }

    /** A sparse raw image of {@link #DISK_BYTES} in the shared pool. */
    public static Path createDisk(LabLayout layout) {
        Path disk = layout.shared().resolve(VM + "-data.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        } catch (IOException e) {
            throw new LabException("cannot create the data disk " + disk + ": " + e.getMessage());
        }
        return disk;
    }

    public static VmSpec spec(Boot boot, Path disk) {
        return new VmSpec(VM, null, 1, MEMORY_MIB, "qemu64", "q35", Firmware.BIOS,
                new BootSpec(boot.kernel().toString(), boot.initrd().toString(), CMDLINE, null),
                List.of(new DiskSpec("data", disk.toString(), DiskFormat.RAW, DiskBus.VIRTIO_BLK, null)),
                List.of(new NicSpec(NicModel.VIRTIO, LabConfigs.NETWORK, null)), null);
    }
}

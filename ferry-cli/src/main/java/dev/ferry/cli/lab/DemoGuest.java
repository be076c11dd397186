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
import java.util.ArrayList;
import java.util.List;

/**
 * The VMs the demo moves: Ferry's test guest ({@code guest/}), built by its own script, with a memory
 * worker that rewrites its buffer and checks every page, a 100 ms heartbeat, and a disk worker on a
 * raw data disk in the shared pool. Those self-checks are what let the demo say "the guest survived
 * the move intact" from the guest's own mouth rather than from QEMU's status. A demo of one guest
 * runs the classic {@code demo} (256 MiB, 64 MiB rewritten at 20 MiB/s); a demo of several runs
 * smaller ones (128 MiB, 48 MiB at 10 MiB/s) named demo-1, demo-2, ...
 */
public final class DemoGuest {
    public static final String VM = "demo";
    public static final int MEMORY_MIB = 256;
    public static final int SMALL_MEMORY_MIB = 128;
    public static final long DISK_BYTES = 64L << 20;
    public static final String CMDLINE = "console=ttyS0 quiet panic=-1 ferry.mem=64 ferry.rate=20 ferry.hb=100 ferry.disk=vda";
    public static final String SMALL_CMDLINE = "console=ttyS0 quiet panic=-1 ferry.mem=48 ferry.rate=10 ferry.hb=100 ferry.disk=vda";

    /** The built kernel and initramfs. */
    public record Boot(Path kernel, Path initrd) {}

    private DemoGuest() {}

    /** The guests' names: {@code demo} alone, else demo-1 .. demo-N. */
    public static List<String> names(int vms) {
        if (vms == 1) return List.of(VM);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= vms; i++) names.add(VM + "-" + i);
        return names;
    }

    public static int memoryMib(int vms) { return vms == 1 ? MEMORY_MIB : SMALL_MEMORY_MIB; }

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
    public static Path createDisk(LabLayout layout) { return createDisk(layout, VM); }

    public static Path createDisk(LabLayout layout, String vm) {
        Path disk = layout.shared().resolve(vm + "-data.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        } catch (IOException e) {
            throw new LabException("cannot create the data disk " + disk + ": " + e.getMessage());
        }
        return disk;
    }

    public static VmSpec spec(Boot boot, Path disk) { return spec(boot, disk, VM, MEMORY_MIB, CMDLINE); }

    /** The spec of guest {@code vm} of a demo with {@code vms} guests. */
    public static VmSpec spec(Boot boot, Path disk, String vm, int vms) {
        return vms == 1 ? spec(boot, disk) : spec(boot, disk, vm, SMALL_MEMORY_MIB, SMALL_CMDLINE);
    }

    public static VmSpec spec(Boot boot, Path disk, String vm, int memoryMib, String cmdline) {
        return new VmSpec(vm, null, 1, memoryMib, "qemu64", "q35", Firmware.BIOS,
                new BootSpec(boot.kernel().toString(), boot.initrd().toString(), cmdline, null),
                List.of(new DiskSpec("data", disk.toString(), DiskFormat.RAW, DiskBus.VIRTIO_BLK, null)),
                List.of(new NicSpec(NicModel.VIRTIO, LabConfigs.NETWORK, null)), null);
    }
}

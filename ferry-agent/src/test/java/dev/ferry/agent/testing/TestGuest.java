package dev.ferry.agent.testing;

import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.DiskBus;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's test guest (see {@code guest/README.md}): a Debian kernel plus an initramfs whose
 * workload reports on the serial console. {@link #kernel()} and {@link #initrd()} run
 * {@code guest/build.sh} the first time they are called in a JVM (a no-op of ~0.1 s when the
 * build is current; the first build on a machine downloads the kernel package and takes about a
 * minute). The repository is found through the system property {@code ferry.repo.root}, which
 * surefire sets, or by walking up from the working directory.
 */
public final class TestGuest {
    /** Kernel command line every test guest gets before its {@code ferry.*} parameters. */
    public static final String BASE_CMDLINE = "console=ttyS0 quiet panic=-1";
    /**
     * The least RAM the guest boots with: the Debian cloud kernel and the initramfs need about
     * 80 MiB (at 72 MiB it dies before printing anything, even with {@code panic=-1} it then just
     * reboots silently). Add {@code ferry.mem} on top.
     */
    public static final int MIN_MEMORY_MIB = 96;
    /** Id of the first disk {@link #spec} adds; the guest sees it as {@code vda}. */
    public static final String DATA_DISK_ID = "data";

    private static final long BUILD_TIMEOUT_MINUTES = 20;
    private static Path kernel;
    private static Path initrd;

    private TestGuest() {}

    /** Absolute path of the guest kernel (builds the guest on first use). */
    public static synchronized Path kernel() {
        if (kernel == null) build();
        return kernel;
    }

    /** Absolute path of the guest initramfs (builds the guest on first use). */
    public static synchronized Path initrd() {
        if (initrd == null) build();
        return initrd;
    }

    /** The repository root: {@code -Dferry.repo.root}, else the nearest parent holding guest/build.sh. */
    public static Path repoRoot() {
        String prop = System.getProperty("ferry.repo.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop, "guest", "build.sh"))) {
            return Path.of(prop).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("guest/build.sh"))) return p;
        }
        throw new IllegalStateException("cannot find the Ferry repository (guest/build.sh): set -Dferry.repo.root");
    }

    /**
     * A VM spec that boots the test guest: q35, 1 vCPU, no NIC, and each of {@code rawDisks} as a
     * virtio-blk raw disk ({@code vda}, {@code vdb}, ... with ids {@code data}, {@code data1}, ...).
     *
     * @param memoryMiB    guest RAM: at least {@link #MIN_MEMORY_MIB} plus {@code ferry.mem}
     * @param kernelParams the guest's {@code ferry.*} parameters, e.g. {@code "ferry.mem=32 ferry.disk=vda"}
     */
    public static VmSpec spec(String name, int memoryMiB, String kernelParams, Path... rawDisks) {
        if (memoryMiB < MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("the test guest needs at least " + MIN_MEMORY_MIB + " MiB (got " + memoryMiB + ")");
        }
        List<DiskSpec> disks = new ArrayList<>();
        for (int i = 0; i < rawDisks.length; i++) {
            disks.add(new DiskSpec(i == 0 ? DATA_DISK_ID : DATA_DISK_ID + i, rawDisks[i].toAbsolutePath().toString(),
                    DiskFormat.RAW, DiskBus.VIRTIO_BLK, null));
        }
        String cmdline = kernelParams == null || kernelParams.isBlank() ? BASE_CMDLINE : BASE_CMDLINE + " " + kernelParams;
        BootSpec boot = new BootSpec(kernel().toString(), initrd().toString(), cmdline, null);
        return new VmSpec(name, null, 1, memoryMiB, null, "q35", null, boot, disks, List.of(), null);
    }

    /** Creates (or replaces) a sparse raw image of {@code sizeMiB} in {@code dir} with qemu-img. */
    public static Path createRawDisk(Path dir, String fileName, int sizeMiB) {
        Path image = dir.resolve(fileName).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        QemuImg.system().create(image, DiskFormat.RAW, (long) sizeMiB << 20);
        return image;
    }

    private static void build() {
        Path root = repoRoot();
        Path log;
        try {
            log = Files.createTempFile(TestDirs.base(), "ferry-guest-build-", ".log");
            Process p = new ProcessBuilder("bash", root.resolve("guest/build.sh").toString())
                    .directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(log.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("guest/build.sh took longer than " + BUILD_TIMEOUT_MINUTES + " min; log: " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("guest/build.sh failed (exit " + p.exitValue() + "): " + tail(log));
            }
            Path k = null;
            Path i = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("KERNEL=")) k = Path.of(line.substring(7).strip());
                if (line.startsWith("INITRD=")) i = Path.of(line.substring(7).strip());
            }
            if (k == null || i == null || !Files.isRegularFile(k) || !Files.isRegularFile(i)) {
                throw new IllegalStateException("guest/build.sh printed no usable KERNEL=/INITRD= lines: " + out);
            }
            kernel = k;
            initrd = i;
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run guest/build.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the test guest", e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}

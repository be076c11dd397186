package dev.ferry.imports.testing;

import dev.ferry.api.host.NetworkDef;
import dev.ferry.api.spec.BootSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.launch.Accelerator;
import dev.ferry.qemu.launch.LaunchOptions;
import dev.ferry.qemu.launch.QemuLauncher;
import dev.ferry.qemu.launch.QemuProcess;
import dev.ferry.qemu.qmp.QmpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Boots a {@link VmSpec} exactly as an agent would ({@link QemuLauncher}, TCG, the spec's own
 * device layout) with the test guest's kernel and initrd, and reads its serial console. Closing
 * it powers the guest down, and kills QEMU if it does not go: no QEMU outlives a test.
 */
public final class GuestRun implements AutoCloseable {
    public static final String BASE_CMDLINE = "console=ttyS0 quiet panic=-1";
    private static Path kernel;
    private static Path initrd;

    private final QemuProcess process;
    private final Path serial;

    private GuestRun(QemuProcess process, Path serial) {
        this.process = process;
        this.serial = serial;
    }

    /** Boots {@code spec} with its boot replaced by the test guest and {@code params} (e.g. {@code ferry.disk=vda}). */
    public static GuestRun boot(VmSpec spec, String params, Path runDir) {
        VmSpec s = new VmSpec(spec.name(), spec.uuid(), spec.vcpus(), spec.memoryMiB(), spec.cpuModel(), spec.machine(), spec.firmware(),
                new BootSpec(kernel().toString(), initrd().toString(), BASE_CMDLINE + " " + params, null), spec.disks(), spec.nics(), null);
        Path serial = runDir.resolve("serial.log");
        LaunchOptions o = LaunchOptions.builder().accelerator(Accelerator.TCG).runDir(runDir).serialLog(serial)
                .networks(Map.of("user", NetworkDef.user("user"), "lan", NetworkDef.user("lan")))
                .firmwareUefi("/usr/share/OVMF/OVMF_CODE.fd").build();
        return new GuestRun(QemuLauncher.launch(s, o), serial);
    }

    public static BootSpec testBoot(String params) {
        return new BootSpec(kernel().toString(), initrd().toString(), BASE_CMDLINE + " " + params, null);
    }

    /** Waits for a complete console line matching {@code regex} (found anywhere in the line) and returns it. */
    public String await(String regex, Duration timeout) {
        return awaitLine(serial, regex, timeout);
    }

    public static String awaitLine(Path serial, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> hit = lines(serial).stream().filter(l -> p.matcher(l).find()).reduce((a, b) -> b);
            if (hit.isPresent()) return hit.get();
            if (System.nanoTime() > deadline) {
                List<String> l = lines(serial);
                throw new AssertionError("no line /" + regex + "/ in " + serial + " within " + timeout.toSeconds() + " s; it ends with:\n"
                        + String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size())));
            }
            sleep(100);
        }
    }

    public long countLines(String regex) {
        Pattern p = Pattern.compile(regex);
        return lines(serial).stream().filter(l -> p.matcher(l).find()).count();
    }

    static List<String> lines(Path serial) {
        try {
            String t = Files.readString(serial, StandardCharsets.ISO_8859_1);
            int end = t.lastIndexOf('\n');
            return end < 0 ? List.of() : t.substring(0, end).replace("\r", "").lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ACPI power button (the guest stops its disk worker cleanly), then waits up to 20 s for QEMU to exit. */
    public boolean powerDown() {
        try (QmpClient qmp = QmpClient.connect(process.qmpSocket(), Duration.ofSeconds(5))) {
            qmp.execute("system_powerdown");
        } catch (RuntimeException e) {
            return false;
        }
        return process.awaitExit(Duration.ofSeconds(20));
    }

    public Path serial() { return serial; }

    @Override
    public void close() {
        if (process.isAlive()) process.kill(Duration.ofSeconds(10));
    }

    public static synchronized Path kernel() {
        if (kernel == null) build();
        return kernel;
    }

    public static synchronized Path initrd() {
        if (initrd == null) build();
        return initrd;
    }

    /** guest/build.sh (a no-op when current); the repository comes from -Dferry.repo.root or the working directory's parents. */
    private static void build() {
        Path root = repoRoot();
        try {
            Process p = new ProcessBuilder("bash", root.resolve("guest/build.sh").toString()).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("guest/build.sh failed: " + out);
            for (String line : out.split("\n")) {
                if (line.startsWith("KERNEL=")) kernel = Path.of(line.substring(7).strip());
                if (line.startsWith("INITRD=")) initrd = Path.of(line.substring(7).strip());
            }
            if (kernel == null || initrd == null) throw new IllegalStateException("guest/build.sh printed no KERNEL=/INITRD=: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path repoRoot() {
        String prop = System.getProperty("ferry.repo.root");
        if (prop != null && Files.isRegularFile(Path.of(prop, "guest", "build.sh"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("guest/build.sh"))) return p;
        }
        throw new IllegalStateException("cannot find the Ferry repository: set -Dferry.repo.root");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

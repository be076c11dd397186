package dev.ferry.qemu.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides between KVM and TCG by booting a real probe guest with KVM and watching for its ready
 * line. Checking that {@code /dev/kvm} opens is not enough: on nested hosts KVM can be present yet
 * hang the guest kernel at boot, which would leave every VM on that host dead. A guest that does
 * not reach its ready line within the timeout means TCG.
 */
public final class AcceleratorProbe {
    public static final String READY_LINE = "FERRY-GUEST-READY";

    /** The outcome and the reason, which the agent logs and reports in its inventory. */
    public record Result(Accelerator accelerator, String reason) {}

    private AcceleratorProbe() {}

    public static Result probe(String qemuBinary, Path kernel, Path initrd, Duration timeout, Path workDir) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return new Result(Accelerator.TCG, "/dev/kvm is not available");
        }
        if (kernel == null || initrd == null || !Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            return new Result(Accelerator.TCG, "no probe guest to test KVM with; using TCG");
        }
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve("kvm-probe.log");
            Files.deleteIfExists(log);
            List<String> cmd = List.of(qemuBinary, "-accel", "kvm", "-machine", "q35", "-cpu", "host", "-m", "128",
                    "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                    "-serial", "file:" + log, "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                    "-append", "console=ttyS0 quiet panic=-1 ferry.probe=1");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("kvm-probe.out").toFile()).start();
            boolean ready = waitForReady(p, log, timeout);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return ready
                    ? new Result(Accelerator.KVM, "a probe guest booted with KVM")
                    : new Result(Accelerator.TCG, "a probe guest did not boot with KVM within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Result(Accelerator.TCG, "KVM probe failed to run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Accelerator.TCG, "KVM probe interrupted");
        }
    }

    private static boolean waitForReady(Process p, Path log, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(READY_LINE)) return true;
            if (!p.isAlive()) return Files.exists(log) && Files.readString(log).contains(READY_LINE);
            Thread.sleep(100);
        }
        return false;
    }
}

package dev.ferry.agent.vm;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.img.ImageInspector;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks of a spec that need this host: boot files exist, every disk image exists inside one of
 * the host's storage pools, qcow2 images pass {@link ImageInspector} (no backing file, data file,
 * {@code json:} or protocol name reaching outside their pool; judged from Ferry's own parse of the
 * header before qemu-img opens anything), no disk is being copied right now ({@link DiskLeases}),
 * every NIC names a network this host defines, and the machine type is one the host offers
 * ({@code machineTypes} of the agent config). Runs before anything is
 * written, so a refused spec changes nothing.
 */
public final class HostSpecCheck {
    private final AgentConfig config;
    private final QemuImg qemuImg;

    public HostSpecCheck(AgentConfig config, QemuImg qemuImg) {
        this.config = config;
        this.qemuImg = qemuImg;
    }

    public void check(VmSpec spec) {
        String machine = spec.machine() == null ? "q35" : spec.machine();
        if (config.machineTypes() != null && !config.machineTypes().contains(machine)) {
            throw new FerryException(ErrorCode.INVALID_SPEC, "machine '" + machine + "' is not offered by host " + config.name()
                    + " (machineTypes: " + config.machineTypes() + ")");
        }
        if (spec.boot().isDirectKernel()) {
            requireFile("boot.kernel", spec.boot().kernel());
            if (spec.boot().initrd() != null) requireFile("boot.initrd", spec.boot().initrd());
        }
        for (DiskSpec d : spec.disks()) checkDisk(d);
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            boolean known = dev.ferry.api.host.NetworkDef.ISOLATED.equals(n.network())
                    || config.networks().stream().anyMatch(net -> net.name().equals(n.network()));
            if (!known) {
                throw new FerryException(ErrorCode.INVALID_SPEC, "nics[" + i + "].network '" + n.network()
                        + "' is not defined on host " + config.name());
            }
        }
    }

    private void checkDisk(DiskSpec d) {
        Path image = requireFile("disk '" + d.id() + "'", d.path());
        poolOf(image).orElseThrow(() -> new FerryException(ErrorCode.UNSAFE_IMAGE,
                "disk '" + d.id() + "' (" + image + ") is not inside any storage pool of host " + config.name()
                        + " (pools: " + config.pools().stream().map(AgentConfig.Pool::path).toList() + ")"));
        DiskLeases.requireFree(image, "disk '" + d.id() + "'");
        // Ferry's own reading of the header and chain first (qemu-img never opens a hostile image),
        // then qemu-img info --backing-chain under its resource limits must agree with it.
        ImageInspector inspector = new ImageInspector(config.pools().stream().map(p -> Path.of(p.path())).toList());
        try {
            inspector.inspectAndCrossCheck(image, d.format(), qemuImg);
        } catch (FerryException e) {
            throw new FerryException(e.code(), "disk '" + d.id() + "': " + e.getMessage(), e);
        }
    }

    private java.util.Optional<Path> poolOf(Path image) {
        Path real;
        try {
            real = image.toRealPath();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
        return config.pools().stream().map(p -> Path.of(p.path()).toAbsolutePath().normalize())
                .filter(real::startsWith).findFirst();
    }

    private static Path requireFile(String what, String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, what + ": " + path + " does not exist or is not a file");
        }
        if (!Files.isReadable(p)) throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, what + ": " + path + " is not readable");
        return p;
    }
}

package dev.ferry.agent.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.NicSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.img.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks of a spec that need this host: boot files exist, every disk image exists inside one of
 * the host's storage pools and really is of its declared format, qcow2 images have no backing file
 * outside their pool, and every NIC names a network this host defines. Runs before anything is
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
        if (spec.boot().isDirectKernel()) {
            requireFile("boot.kernel", spec.boot().kernel());
            if (spec.boot().initrd() != null) requireFile("boot.initrd", spec.boot().initrd());
        }
        for (DiskSpec d : spec.disks()) checkDisk(d);
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            boolean known = config.networks().stream().anyMatch(net -> net.name().equals(n.network()));
            if (!known) {
                throw new FerryException(ErrorCode.INVALID_SPEC, "nics[" + i + "].network '" + n.network()
                        + "' is not defined on host " + config.name());
            }
        }
    }

    private void checkDisk(DiskSpec d) {
        Path image = requireFile("disk '" + d.id() + "'", d.path());
        Path pool = poolOf(image).orElseThrow(() -> new FerryException(ErrorCode.UNSAFE_IMAGE,
                "disk '" + d.id() + "' (" + image + ") is not inside any storage pool of host " + config.name()
                        + " (pools: " + config.pools().stream().map(AgentConfig.Pool::path).toList() + ")"));
        if (d.format() == DiskFormat.QCOW2) {
            JsonNode info = qemuImg.info(image, DiskFormat.QCOW2);
            JsonNode backing = info.get("full-backing-filename");
            if (backing != null) {
                Path b = Path.of(backing.asText()).toAbsolutePath().normalize();
                if (!b.startsWith(pool)) {
                    throw new FerryException(ErrorCode.UNSAFE_IMAGE, "disk '" + d.id() + "' has a backing file outside its pool: " + b);
                }
            }
            if (info.has("format-specific") && info.get("format-specific").path("data").has("data-file")) {
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, "disk '" + d.id() + "' uses an external data file, which Ferry refuses");
            }
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

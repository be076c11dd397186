package dev.ferry.agent.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.agent.vm.VmRepository;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import dev.ferry.api.spec.DiskSpec;
import dev.ferry.api.spec.VmSpec;
import dev.ferry.qemu.img.QemuImg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an image file may be deleted: it must be a regular file inside one of the host's
 * pools, and no VM defined on the host (templates included) may use it, neither as a disk nor
 * anywhere in a disk's qcow2 backing chain (a linked clone's base). Deleting is the one storage
 * operation that cannot be undone, so every delete goes through here.
 */
public final class ImageGuard {
    private static final int MAX_CHAIN = 16;

    private final Pools pools;
    private final VmRepository repo;
    private final QemuImg qemuImg;

    public ImageGuard(Pools pools, VmRepository repo, QemuImg qemuImg) {
        this.pools = pools;
        this.repo = repo;
        this.qemuImg = qemuImg;
    }

    /** Which VM uses {@code image} (as a disk or a backing file), if any. */
    public Optional<String> user(Path image) {
        Path target = real(image);
        for (VmSpec spec : repo.all()) {
            for (DiskSpec d : spec.disks()) {
                for (Path p : chain(Path.of(d.path()), d.format())) {
                    if (p.equals(target)) return Optional.of(spec.name() + " (disk '" + d.id() + "')");
                }
            }
        }
        return Optional.empty();
    }

    /** Why {@code image} must not be deleted, or empty if it may be. */
    public Optional<String> refusal(Path image) {
        if (!image.isAbsolute()) return Optional.of(image + " is not an absolute path");
        if (!Files.isRegularFile(image, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.of(image + " is not a regular file");
        if (pools.of(image).isEmpty()) return Optional.of(image + " is not inside a storage pool of " + pools.hostName());
        return user(image).map(u -> image + " is in use by VM " + u);
    }

    /** Deletes every image, or none: all are checked first. Returns the deleted paths. */
    public List<String> deleteAll(List<String> paths) {
        List<Path> files = paths.stream().map(Path::of).toList();
        Map<Path, String> refused = new HashMap<>();
        for (Path p : files) refusal(p).ifPresent(r -> refused.put(p, r));
        if (!refused.isEmpty()) {
            throw new FerryException(ErrorCode.INVALID_STATE, "not deleting: " + String.join("; ", refused.values()));
        }
        List<String> deleted = new ArrayList<>();
        for (Path p : files) {
            try {
                if (Files.deleteIfExists(p)) deleted.add(p.toString());
            } catch (IOException e) {
                throw new FerryException(ErrorCode.IO_ERROR, "cannot delete " + p + " (deleted so far: " + deleted + "): "
                        + e.getMessage(), e);
            }
        }
        return deleted;
    }

    /** The image and every file of its backing chain, as real paths; stops at files it cannot read. */
    List<Path> chain(Path image, DiskFormat format) {
        List<Path> out = new ArrayList<>();
        Path p = image;
        DiskFormat f = format;
        for (int i = 0; i < MAX_CHAIN && p != null; i++) {
            out.add(real(p));
            if (f != DiskFormat.QCOW2 || !Files.isRegularFile(p)) break;
            JsonNode info;
            try {
                info = qemuImg.info(p, DiskFormat.QCOW2);
            } catch (FerryException e) {
                break;
            }
            JsonNode backing = info.get("full-backing-filename");
            if (backing == null) break;
            p = Path.of(backing.asText());
            String bf = info.path("backing-filename-format").asText("raw");
            f = "qcow2".equals(bf) ? DiskFormat.QCOW2 : DiskFormat.RAW;
        }
        return out;
    }

    static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}

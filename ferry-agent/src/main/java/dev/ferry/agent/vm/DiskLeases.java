package dev.ferry.agent.vm;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Disk images that an operation outside QEMU is reading (a disk transfer), by real path. A VM whose
 * disk is leased cannot start ({@link HostSpecCheck} asks here), so a stopped VM's disk does not
 * change under a copy. Process-wide: every agent in this JVM sees the same files.
 */
public final class DiskLeases {
    private static final Map<Path, String> LEASES = new ConcurrentHashMap<>();

    private DiskLeases() {}

    /** Leases {@code image} to {@code holder}; refused with VM_BUSY if someone else holds it. */
    public static Path take(Path image, String holder) {
        Path real = real(image);
        String prev = LEASES.putIfAbsent(real, holder);
        if (prev != null && !prev.equals(holder)) {
            throw new FerryException(ErrorCode.VM_BUSY, image + " is in use by " + prev);
        }
        return real;
    }

    public static void release(Path real, String holder) { LEASES.remove(real, holder); }

    /** Throws VM_BUSY if {@code image} is leased. */
    static void requireFree(Path image, String what) {
        String holder = LEASES.get(real(image));
        if (holder != null) throw new FerryException(ErrorCode.VM_BUSY, what + " (" + image + ") is in use by " + holder);
    }

    private static Path real(Path image) {
        try {
            return image.toRealPath();
        } catch (IOException e) {
            return image.toAbsolutePath().normalize();
        }
    }
}

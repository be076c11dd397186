package dev.ferry.agent.storage;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.spec.DiskFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host's storage pools (directories named in the agent config) and the rules for files in
 * them: a new image gets a plain file name directly inside a pool, never a path a caller chose, and
 * an existing file belongs to the pool whose directory really contains it (symlinks resolved).
 */
public final class Pools {
    private final AgentConfig config;

    public Pools(AgentConfig config) { this.config = config; }

    public AgentConfig.Pool byName(String name) {
        if (name == null || name.isBlank()) throw new FerryException(ErrorCode.INVALID_ARGUMENT, "a pool name is required");
        return config.pools().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new FerryException(ErrorCode.INVALID_ARGUMENT, "host " + config.name() + " has no storage pool '" + name
                        + "' (pools: " + config.pools().stream().map(AgentConfig.Pool::name).toList() + ")"));
    }

    /** The pool whose directory contains {@code file} (after resolving symlinks), if any. */
    public Optional<AgentConfig.Pool> of(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            real = file.toAbsolutePath().normalize();
        }
        Path r = real;
        return config.pools().stream().filter(p -> r.startsWith(dir(p))).findFirst();
    }

    /** The path a new image called {@code fileName} gets in {@code pool}; the file must not exist yet. */
    public Path newImage(AgentConfig.Pool pool, String fileName) {
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.startsWith(".")) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "'" + fileName + "' is not a plain image file name");
        }
        Path dir = dir(pool);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot create pool directory " + dir + ": " + e.getMessage(), e);
        }
        Path p = dir.resolve(fileName);
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FerryException(ErrorCode.INVALID_STATE, "image " + p + " already exists in pool '" + pool.name()
                    + "' on " + config.name() + "; Ferry never overwrites an image");
        }
        return p;
    }

    /**
     * Like {@link #newImage}, but when {@code fileName} is taken it picks {@code stem-2.ext},
     * {@code stem-3.ext}, ... instead of failing: for target images, where a leftover of an
     * interrupted attempt must not block a retry (it is never overwritten either).
     */
    public Path newUniqueImage(AgentConfig.Pool pool, String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        String ext = dot > 0 ? fileName.substring(dot) : "";
        for (int n = 1; n < 100; n++) {
            String candidate = n == 1 ? fileName : stem + "-" + n + ext;
            if (!Files.exists(dir(pool).resolve(candidate), java.nio.file.LinkOption.NOFOLLOW_LINKS)) return newImage(pool, candidate);
        }
        throw new FerryException(ErrorCode.INVALID_STATE, "too many images named like " + fileName + " in pool '" + pool.name() + "'");
    }

    public String hostName() { return config.name(); }

    static Path dir(AgentConfig.Pool p) {
        Path d = Path.of(p.path()).toAbsolutePath().normalize();
        try {
            return d.toRealPath();
        } catch (IOException e) {
            return d;
        }
    }

    /** {@code vm1.img} -> {@code vm1.qcow2} when the format changes; the name is kept when it does not. */
    public static String fileNameFor(String current, DiskFormat from, DiskFormat to) {
        if (from == to) return current;
        String stem = current.replaceFirst("\\.(img|raw|qcow2)$", "");
        return stem + extension(to);
    }

    public static String extension(DiskFormat f) { return f == DiskFormat.QCOW2 ? ".qcow2" : ".img"; }
}

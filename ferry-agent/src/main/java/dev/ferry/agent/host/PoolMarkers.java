package dev.ferry.agent.host;

import dev.ferry.agent.AgentConfig;
import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.host.PoolMarker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Marker files in this host's storage pools, so the controller can prove that a pool two hosts
 * declare shared really is one storage instead of trusting their configs: it writes a random token
 * here and reads it on the other host ({@link PoolMarker}). Only files named
 * {@code .ferry-marker-UUID} directly in a pool directory are ever written, read or removed, so no
 * request can reach any other file.
 */
public final class PoolMarkers {
    private static final Pattern FILE = Pattern.compile("\\.ferry-marker-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentConfig config;

    public PoolMarkers(AgentConfig config) { this.config = config; }

    public PoolMarker write(String pool) {
        Path dir = poolDir(pool);
        String file = ".ferry-marker-" + UUID.randomUUID();
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        try {
            Files.writeString(dir.resolve(file), token, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot write a marker into pool '" + pool + "' of " + config.name() + ": "
                    + e.getMessage(), e);
        }
        return new PoolMarker(pool, file, token, true);
    }

    public PoolMarker read(String pool, String file) {
        Path p = marker(pool, file);
        try {
            return new PoolMarker(pool, file, Files.readString(p, StandardCharsets.UTF_8).strip(), true);
        } catch (NoSuchFileException e) {
            return new PoolMarker(pool, file, null, false);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read marker " + file + " in pool '" + pool + "' of " + config.name()
                    + ": " + e.getMessage(), e);
        }
    }

    public void remove(String pool, String file) {
        try {
            Files.deleteIfExists(marker(pool, file));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot remove marker " + file + " from pool '" + pool + "' of "
                    + config.name() + ": " + e.getMessage(), e);
        }
    }

    private Path marker(String pool, String file) {
        if (file == null || !FILE.matcher(file).matches()) {
            throw new FerryException(ErrorCode.INVALID_ARGUMENT, "'" + file + "' is not a marker file name (.ferry-marker-UUID)");
        }
        return poolDir(pool).resolve(file);
    }

    private Path poolDir(String pool) {
        return config.pools().stream().filter(p -> p.name().equals(pool)).findFirst().map(p -> Path.of(p.path()))
                .orElseThrow(() -> new FerryException(ErrorCode.NOT_FOUND, config.name() + " has no storage pool '" + pool
                        + "' (pools: " + config.pools().stream().map(AgentConfig.Pool::name).toList() + ")"));
    }
}

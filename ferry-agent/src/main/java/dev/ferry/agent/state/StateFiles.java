package dev.ferry.agent.state;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.api.json.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small JSON records in one folder of the agent's state directory, one file per record, each
 * written to a temporary file and renamed over the old one, so an agent killed at any moment
 * leaves either the previous or the new record, never half of one (as {@code VmRepository} keeps
 * VM definitions). This is what lets a restarted agent report what its predecessor was doing.
 */
public final class StateFiles<T> {
    private static final Logger LOG = LoggerFactory.getLogger(StateFiles.class);

    private final Path dir;
    private final Class<T> type;

    public StateFiles(Path dir, Class<T> type) {
        this.dir = dir;
        this.type = type;
    }

    public Path dir() { return dir; }

    /** Writes {@code value} as {@code ID.json}, atomically. */
    public synchronized void save(String id, T value) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(id + ".json.tmp");
            Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
            try {
                Files.move(tmp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(id), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot save " + file(id) + ": " + e.getMessage());
        }
    }

    public synchronized void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file(id), e.getMessage());
        }
    }

    /** Every record; an unreadable file (never one this class wrote) is logged and skipped, leftover temporaries removed. */
    public synchronized List<T> loadAll() {
        List<T> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".json.tmp")) {
                    Files.deleteIfExists(f);
                } else if (n.endsWith(".json")) {
                    try {
                        out.add(Json.mapper().readValue(f.toFile(), type));
                    } catch (IOException e) {
                        LOG.warn("skipping unreadable state file {}: {}", f, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    private Path file(String id) { return dir.resolve(id + ".json"); }
}

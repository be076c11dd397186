package dev.ferry.imports.safety;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder an import may read from, and the only way readers turn a file name written in a
 * foreign description (a VMDK extent, an OVF href, a .vbox location) into a host path. Names must
 * be relative, without {@code ..}, NUL or backslashes, and the resolved file (after following
 * symlinks) must still lie inside the folder: a VM description can never make Ferry read
 * {@code /etc/passwd} or a block device.
 */
public final class ImportFolder {
    private final Path root;

    public ImportFolder(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, "import folder " + root + " does not exist");
        }
    }

    public Path root() { return root; }

    /** Resolves {@code name} (as written in {@code where}) to an existing regular file inside the folder, or refuses. */
    public Path file(String name, String where) {
        Path p = resolve(name, where);
        if (!Files.isRegularFile(p)) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, where + " names '" + name + "', which does not exist in " + root);
        }
        return p;
    }

    /** As {@link #file(String, String)}, with {@code name} relative to {@code base} (a folder inside this one). */
    public Path file(Path base, String name, String where) {
        Path p = resolve(base, name, where);
        if (!Files.isRegularFile(p)) {
            throw new FerryException(ErrorCode.IMAGE_NOT_FOUND, where + " names '" + name + "', which does not exist in " + base);
        }
        return p;
    }

    /** Resolves {@code name} inside the folder without requiring it to exist; refuses names that leave it. */
    public Path resolve(String name, String where) { return resolve(root, name, where); }

    private Path resolve(Path base, String name, String where) {
        checkName(name, where);
        Path p = base.resolve(name).normalize();
        if (!p.startsWith(root)) throw outside(name, where);
        if (Files.exists(p)) {
            try {
                Path real = p.toRealPath();
                if (!real.startsWith(root)) throw outside(name + " (a link to " + real + ")", where);
                return real;
            } catch (IOException e) {
                throw new FerryException(ErrorCode.IO_ERROR, "cannot resolve " + p + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    /** True if an already resolved path lies inside the folder (after following links). */
    public boolean contains(Path p) {
        try {
            return p.toRealPath().startsWith(root);
        } catch (IOException e) {
            return p.toAbsolutePath().normalize().startsWith(root);
        }
    }

    public static void checkName(String name, String where) {
        if (name == null || name.isBlank()) throw new FerryException(ErrorCode.INVALID_SOURCE, where + " names an empty file");
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new FerryException(ErrorCode.UNSAFE_IMAGE, where + " names '" + name
                    + "': absolute paths are refused; files must lie in the VM's folder");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, where + " names '" + name + "': '..' is refused; files must lie in the VM's folder");
            }
        }
    }

    private FerryException outside(String name, String where) {
        return new FerryException(ErrorCode.UNSAFE_IMAGE, where + " names '" + name + "', which lies outside the import folder " + root);
    }
}

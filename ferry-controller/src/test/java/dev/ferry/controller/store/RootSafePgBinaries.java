package dev.ferry.controller.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Embedded PostgreSQL binaries that also work when the tests run as root, which initdb and postgres
 * refuse. It exists because this project's machines and CI run as root. It unpacks zonky's real
 * binaries into a world-readable directory once, and hands zonky instead a tiny bundle whose
 * {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres} are shell wrappers: run as root,
 * a wrapper gives the {@code -D} data directory to uid/gid 65534 (nobody) and execs the real
 * program through util-linux's {@code setpriv}; run as anyone else (including zonky's own
 * {@code unshare -U} path, where root appears as 65534) it simply execs the real program.
 */
final class RootSafePgBinaries implements PgBinaryResolver {
    static final RootSafePgBinaries INSTANCE = new RootSafePgBinaries();

    /** The overflow uid/gid ("nobody"/"nogroup" on Debian): exists everywhere, owns nothing. */
    static final int UNPRIVILEGED_ID = 65534;
    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private RootSafePgBinaries() {}

    static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        Path real = unpackRealBinaries(system, machineHardware);
        return new ByteArrayInputStream(wrapperBundle(real));
    }

    /** Unpacks zonky's bundle for this platform once per content, readable by the unprivileged user. */
    static Path unpackRealBinaries(String system, String machineHardware) throws IOException {
        byte[] txz;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
            txz = in.readAllBytes();
        }
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "ferry-pg-binaries");
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, DIR_MODE);
        Path target = base.resolve(sha256(txz).substring(0, 16));
        if (Files.isRegularFile(target.resolve(".complete"))) return target;

        Path staging = base.resolve("staging-" + UUID.randomUUID());
        try {
            extract(txz, staging);
            Files.createFile(staging.resolve(".complete"));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another JVM finished first; its copy is identical
            } catch (IOException e) {
                if (!Files.isRegularFile(target.resolve(".complete"))) throw e;
            }
        } finally {
            deleteTree(staging);
        }
        return target;
    }

    private static void extract(byte[] txz, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, DIR_MODE);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(txz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path p = dir.resolve(e.getName()).normalize();
                if (!p.startsWith(dir)) throw new IOException("Unsafe path in PostgreSQL bundle: " + e.getName());
                if (e.isDirectory()) {
                    mkdirs(p, dir);
                    continue;
                }
                mkdirs(p.getParent(), dir);
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.copy(dir.resolve(e.getLinkName()), p);
                } else {
                    Files.copy(tar, p);
                    boolean executable = (e.getMode() & 0100) != 0 || e.getName().startsWith("bin/");
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void mkdirs(Path p, Path root) throws IOException {
        if (Files.isDirectory(p)) return;
        mkdirs(p.getParent(), root);
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, DIR_MODE);
    }

    /** A bundle holding only the three wrappers, in zonky's format (tar.xz). */
    static byte[] wrapperBundle(Path real) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options(0)))) {
            TarArchiveEntry bin = new TarArchiveEntry("bin/");
            bin.setModTime(0);
            tar.putArchiveEntry(bin);
            tar.closeArchiveEntry();
            for (String program : PROGRAMS) {
                byte[] script = wrapper(real.resolve("bin").resolve(program)).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("bin/" + program);
                e.setSize(script.length);
                e.setMode(0755);
                e.setModTime(0); // same bytes every run, so zonky reuses what it unpacked
                tar.putArchiveEntry(e);
                tar.write(script);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static String wrapper(Path realProgram) {
        String id = Integer.toString(UNPRIVILEGED_ID);
        return """
                #!/bin/sh
                # Written by Ferry's RootSafePgBinaries. PostgreSQL refuses to run as root: as root,
                # give the data directory (-D) to an unprivileged user and run the program as that user.
                real=%s
                if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
                data= prev=
                for arg in "$@"; do
                  if [ "$prev" = -D ]; then data=$arg; fi
                  prev=$arg
                done
                if [ -n "$data" ]; then
                  mkdir -p "$data" && chown -R %s:%s "$data" || exit 1
                fi
                exec setpriv --reuid=%s --regid=%s --clear-groups "$real" "$@"
                """.formatted(shellQuote(realProgram.toString()), id, id, id, id);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

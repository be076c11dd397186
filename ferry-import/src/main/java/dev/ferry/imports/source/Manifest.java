package dev.ferry.imports.source;

import dev.ferry.api.error.ErrorCode;
import dev.ferry.api.error.FerryException;
import dev.ferry.imports.safety.BoundedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OVF manifest ({@code .mf}): one {@code ALG(file)= hex} line per file, SHA-1, SHA-256 or
 * SHA-512, in the spellings VMware and VirtualBox write. {@link #verify} is the gate every OVF and
 * OVA passes before any of its files is parsed or handed to qemu-img: each file of the package
 * must be listed and match, so a swapped disk or a tampered envelope is refused.
 */
public final class Manifest {
    private static final Pattern LINE = Pattern.compile("^(SHA1|SHA256|SHA512)\\s*\\(([^)]+)\\)\\s*=\\s*([0-9a-fA-F]+)\\s*$");

    record Digest(String algorithm, String hex) {
        String javaName() {
            return switch (algorithm) {
                case "SHA1" -> "SHA-1";
                case "SHA256" -> "SHA-256";
                default -> "SHA-512";
            };
        }
    }

    private final Map<String, Digest> entries;
    private final String name;

    private Manifest(String name, Map<String, Digest> entries) {
        this.name = name;
        this.entries = entries;
    }

    public static Manifest read(Path file) {
        String text = new String(BoundedFiles.read(file, 1 << 20, "manifest"), StandardCharsets.UTF_8);
        Map<String, Digest> entries = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " has a malformed line: '"
                        + (line.length() > 80 ? line.substring(0, 80) : line) + "'");
            }
            String alg = m.group(1);
            int want = alg.equals("SHA1") ? 40 : alg.equals("SHA256") ? 64 : 128;
            if (m.group(3).length() != want) throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + ": " + alg + " of " + m.group(2) + " has the wrong length");
            if (entries.put(m.group(2).strip(), new Digest(alg, m.group(3).toLowerCase(Locale.ROOT))) != null) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, file.getFileName() + " lists " + m.group(2) + " twice");
            }
        }
        return new Manifest(file.getFileName().toString(), entries);
    }

    Map<String, Digest> entries() { return entries; }

    /** Refuses unless every file in {@code files} (name to path) is listed and matches, and every listed file is present. */
    public void verify(Map<String, Path> files) {
        for (String listed : entries.keySet()) {
            if (!files.containsKey(listed)) {
                throw new FerryException(ErrorCode.INVALID_SOURCE, name + " lists " + listed + ", which the package does not hold");
            }
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Digest d = entries.get(f.getKey());
            if (d == null) {
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, f.getKey() + " is not listed in " + name + "; every file must be");
            }
            String actual = digest(f.getValue(), d.javaName());
            if (!actual.equals(d.hex())) {
                throw new FerryException(ErrorCode.UNSAFE_IMAGE, "digest mismatch for " + f.getKey() + ": " + name + " says "
                        + d.algorithm() + " " + d.hex() + ", the file has " + actual);
            }
        }
    }

    static String digest(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new FerryException(ErrorCode.INTERNAL, algorithm + " is not available");
        }
    }
}

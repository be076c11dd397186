package dev.ferry.agent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what an operation of a killed agent left behind: files and folders given as exact paths
 * or as globs on their file name ({@code /pool/.ferry-import-*}). A {@code qemu-img} the dead agent
 * had started does not die with it (a child outlives a SIGKILLed parent), and would go on writing
 * into such a file, so first every qemu-img whose command line names one of them is killed.
 * Paths in {@code keep} (the disks of defined VMs) are never touched.
 */
public final class Leftovers {
    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);
    private static final Path PROC = Path.of("/proc");

    private Leftovers() {}

    /** Kills orphaned writers of {@code patterns}, deletes what matches, and returns what was deleted. */
    public static List<Path> remove(List<String> patterns, Set<Path> keep) {
        List<Path> matches = new ArrayList<>();
        for (String p : patterns) matches.addAll(expand(Path.of(p)));
        matches.removeIf(m -> keep.contains(m.toAbsolutePath().normalize()));
        killOrphanWriters(patterns);
        List<Path> deleted = new ArrayList<>();
        for (Path m : matches) if (deleteTree(m)) deleted.add(m);
        return deleted;
    }

    /** The existing paths {@code p} names: itself, or, if its file name is a glob, the matching entries of its folder. */
    static List<Path> expand(Path p) {
        String name = p.getFileName().toString();
        if (!name.contains("*") && !name.contains("?")) return Files.exists(p) ? List.of(p) : List.of();
        Path parent = p.getParent();
        if (parent == null || !Files.isDirectory(parent)) return List.of();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(x -> m.matches(x.getFileName())).toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", parent, e.getMessage());
            return List.of();
        }
    }

    private static void killOrphanWriters(List<String> patterns) {
        List<PathMatcher> matchers = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        try (Stream<Path> procs = Files.list(PROC)) {
            for (Path proc : procs.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                List<String> args = cmdline(proc);
                if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().equals("qemu-img")) continue;
                boolean writes = args.stream().filter(a -> a.startsWith("/")).map(Path::of)
                        .anyMatch(a -> matchers.stream().anyMatch(m -> m.matches(a) || a.getParent() != null && m.matches(a.getParent())));
                if (writes) {
                    long pid = Long.parseLong(proc.getFileName().toString());
                    ProcessHandle.of(pid).ifPresent(h -> {
                        LOG.warn("killing qemu-img {} left running by the previous agent: {}", pid, String.join(" ", args));
                        h.destroyForcibly();
                        h.onExit().completeOnTimeout(h, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                    });
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot scan {} for orphaned qemu-img: {}", PROC, e.getMessage());
        }
    }

    private static List<String> cmdline(Path proc) {
        try {
            String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of(); // the process ended meanwhile, or is not ours to read
        }
    }

    private static boolean deleteTree(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot delete leftover {}: {}", p, e.getMessage());
            return false;
        }
    }
}

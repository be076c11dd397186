package dev.ferry.bench.live;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The raw outcomes of a run as JSON, rewritten after every migration so an interrupted run keeps
 * what it measured, and read back to redraw the report and chart without re-running.
 */
final class ResultsFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFile() {}

    static void write(Path file, BenchRun run) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), run);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static BenchRun read(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<BenchRun>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** One run: when and where, the settings, the goodput per link, and every outcome so far. */
    record BenchRun(String date, String machine, String qemu, long maxDowntimeMs, long ceilingMs, String loadAtStart,
                    String loadAtEnd, List<Outcome> outcomes, List<String> planLog) {
        BenchRun with(Outcome o, List<String> plan, String load) {
            List<Outcome> os = new java.util.ArrayList<>(outcomes);
            os.add(o);
            List<String> pl = new java.util.ArrayList<>(planLog);
            pl.addAll(plan);
            return new BenchRun(date, machine, qemu, maxDowntimeMs, ceilingMs, loadAtStart, load, List.copyOf(os), List.copyOf(pl));
        }

        BenchRun replaceLast(Outcome o) {
            List<Outcome> os = new java.util.ArrayList<>(outcomes);
            os.set(os.size() - 1, o);
            return new BenchRun(date, machine, qemu, maxDowntimeMs, ceilingMs, loadAtStart, loadAtEnd, List.copyOf(os), planLog);
        }
    }
}

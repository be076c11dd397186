package dev.ferry.bench.evacuation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the benchmark as {@code results/results.json}: when and where, the settings, and what
 * each link measured. Rewritten after every step so an interrupted run keeps what it measured, and
 * read back by {@code run.sh --report} to redraw the report and chart.
 */
public record BenchRun(String date, String machine, String qemu, String loadAtStart, String loadAtEnd, int vms, int guestMemoryMib,
                       int dirtyMiBps, List<LinkResult> links, int bufferMib, int wssMib) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BenchRun {
        links = List.copyOf(links);
        if (bufferMib <= 0) bufferMib = EvacSettings.BUFFER_MIB; // results written before the buffer was a setting
    }

    public BenchRun(String date, String machine, String qemu, String loadAtStart, String loadAtEnd, int vms, int guestMemoryMib,
                    int dirtyMiBps, List<LinkResult> links) {
        this(date, machine, qemu, loadAtStart, loadAtEnd, vms, guestMemoryMib, dirtyMiBps, links, 0, 0);
    }

    /** This run with {@code r} as the result of its link (replacing an earlier one of the same link). */
    public BenchRun with(LinkResult r, String load) {
        List<LinkResult> ls = new ArrayList<>(links);
        ls.removeIf(l -> l.link().equals(r.link()));
        ls.add(r);
        return new BenchRun(date, machine, qemu, loadAtStart, load, vms, guestMemoryMib, dirtyMiBps, ls, bufferMib, wssMib);
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static BenchRun read(Path file) {
        try {
            return JSON.readValue(file.toFile(), BenchRun.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

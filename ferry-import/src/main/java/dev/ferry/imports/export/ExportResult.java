package dev.ferry.imports.export;

import java.util.List;

/** What an export wrote: the output files, and notes on everything that had to change on the way. */
public record ExportResult(String format, List<String> files, List<String> notes) {
    public ExportResult {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }
}

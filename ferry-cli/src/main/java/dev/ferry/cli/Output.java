package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.api.json.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints results either as aligned human tables or as JSON for scripts ({@code -o json}). */
final class Output {
    private Output() {}

    /** {@code value} as JSON on stdout when {@code json} ({@code -o json}), else what {@code human} prints. */
    static void print(boolean json, Object value, Runnable human) {
        if (json) json(System.out, value);
        else human.run();
    }

    static void json(PrintStream out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An aligned table; the first row is the header. */
    static void table(PrintStream out, List<List<String>> rows) {
        if (rows.isEmpty()) return;
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], cell(r, i).length());
        }
        for (List<String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < cols; i++) {
                cells.add(i == cols - 1 ? cell(r, i) : String.format("%-" + width[i] + "s", cell(r, i)));
            }
            out.println(String.join("  ", cells).stripTrailing());
        }
    }

    private static String cell(List<String> row, int i) {
        String v = i < row.size() ? row.get(i) : null;
        return v == null ? "-" : v;
    }
}

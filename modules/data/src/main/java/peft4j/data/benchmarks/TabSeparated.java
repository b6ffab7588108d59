package peft4j.data.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import peft4j.api.UserError;

/**
 * Reads GLUE's tab-separated files: a header row naming the columns, then one row per example. Fields are split at
 * tabs only; quotes are data (GLUE's MRPC and QQP texts contain unbalanced quotes).
 */
final class TabSeparated {

    /** One row with access by column name. */
    record Row(Path file, int number, Map<String, Integer> columns, String[] fields) {

        String get(String column) {
            Integer index = columns.get(column);
            if (index == null) {
                throw new UserError(file + " has no column \"" + column + "\" (its header names " + columns.keySet()
                        + "); is this the right file for the task?");
            }
            return fields[index];
        }

        boolean has(String column) {
            return columns.containsKey(column);
        }
    }

    private TabSeparated() {
    }

    /**
     * The rows of {@code file} after its header.
     *
     * @throws UserError naming file and line of a row whose field count differs from the header's
     */
    static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new UserError(file + " is empty; a GLUE file starts with a header row");
        }
        String header = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        String[] names = header.split("\t", -1);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            columns.put(names[i].strip(), i);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != names.length) {
                throw new UserError(file + " line " + (i + 1) + " has " + fields.length + " tab-separated fields but"
                        + " the header has " + names.length + "; fix or remove the line");
            }
            rows.add(new Row(file, i + 1, columns, fields));
        }
        return rows;
    }
}

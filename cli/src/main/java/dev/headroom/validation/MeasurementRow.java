package dev.headroom.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of a published-measurement CSV, by column name. Cells never contain commas in these files. */
record MeasurementRow(Map<String, String> cells) {
    String get(String column) {
        String v = cells.get(column);
        if (v == null) {
            throw new IllegalStateException("validation data has no column '" + column + "'");
        }
        return v;
    }

    boolean has(String column) {
        String v = cells.get(column);
        return v != null && !v.isBlank() && !"-".equals(v);
    }

    static List<MeasurementRow> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read validation data " + csv, e);
        }
        String[] header = lines.get(0).split(",", -1);
        List<MeasurementRow> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i].trim() : "");
            }
            rows.add(new MeasurementRow(row));
        }
        return rows;
    }
}

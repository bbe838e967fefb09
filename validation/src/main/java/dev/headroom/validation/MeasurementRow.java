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

    /**
     * One published figure of a row: cells with {@code |} carry several values in order (metric, value
     * and weight_dtype split alike; a single metric or dtype applies to every value).
     */
    record Figure(MeasurementRow row, String metric, double value, String weightDtype) {}

    /** Every published figure of every row of a measurement file. */
    static List<Figure> figures(Path csv) {
        List<Figure> out = new ArrayList<>();
        for (MeasurementRow row : read(csv)) {
            String[] metrics = row.get("metric").split("\\|");
            String[] values = row.get("value").split("\\|");
            String[] weights = row.get("weight_dtype").split("\\|");
            for (int i = 0; i < values.length; i++) {
                out.add(new Figure(row, metrics[Math.min(i, metrics.length - 1)], Double.parseDouble(values[i]),
                        weights[Math.min(i, weights.length - 1)]));
            }
        }
        return out;
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

package dev.headroom.validation;

import dev.headroom.core.base.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of a published-measurement CSV, by column name (RFC 4180 quoting: cells may hold commas in quotes). */
record MeasurementRow(String file, int line, Map<String, String> cells) {
    String get(String column) {
        String v = cells.get(column);
        if (v == null) {
            throw new InvalidInputException(file + " line " + line + ": no column '" + column + "'");
        }
        return v;
    }

    boolean has(String column) {
        String v = cells.get(column);
        return v != null && !v.isBlank() && !"-".equals(v) && !"?".equals(v);
    }

    /** The engine settings a row carries ("max_num_seqs=256;pp=2"), by name. */
    Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!has("settings")) {
            return out;
        }
        for (String kv : get("settings").split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /**
     * One published figure of a row: cells with {@code |} carry several values in order; any cell split into as many
     * parts as the values (metric, unit, weight_dtype, load, gpu...) is read part by part, a single part applies to all.
     */
    record Figure(MeasurementRow row, int index, int count, double value) {
        String cell(String column) {
            if (!row.cells().containsKey(column)) {
                return "";
            }
            String[] parts = row.get(column).split("\\|");
            return (parts.length == count ? parts[index] : parts.length == 1 ? parts[0] : row.get(column)).trim();
        }

        String metric() {
            return cell("metric");
        }

        String weightDtype() {
            return cell("weight_dtype");
        }

        String load() {
            return cell("load");
        }

        String unit() {
            return cell("unit");
        }

        String model() {
            return cell("model");
        }

        String id() {
            return row.get("id");
        }
    }

    /** Every published figure of every row of a measurement file; cells that are not numbers are reported, not thrown. */
    static List<Figure> figures(Path csv) {
        List<Figure> out = new ArrayList<>();
        for (MeasurementRow row : read(csv)) {
            String[] values = row.get("value").split("\\|");
            for (int i = 0; i < values.length; i++) {
                out.add(new Figure(row, i, values.length, parseValue(values[i])));
            }
        }
        return out;
    }

    /** "41.5%" is 0.415; "~12" is 12; anything else that is not a number is NaN (the case is then not expressible). */
    static double parseValue(String text) {
        String t = text.trim().replace("~", "").replace(",", "");
        boolean percent = t.endsWith("%");
        if (percent) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            return percent ? v / 100 : v;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static List<MeasurementRow> read(Path csv) {
        String text = readText(csv);
        List<List<String>> records = parse(text, csv.toString());
        if (records.isEmpty()) {
            throw new InvalidInputException("validation data " + csv + " is empty (it needs a header line)");
        }
        List<String> header = records.get(0);
        Map<String, String> overlay = header.contains("settings") ? Map.of() : settingsFromSources(csv);
        List<MeasurementRow> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i).trim(), i < cells.size() ? cells.get(i).trim() : "");
            }
            String settings = overlay.get(row.getOrDefault("id", ""));
            if (settings != null) {
                row.put("settings", settings);
            }
            rows.add(new MeasurementRow(csv.getFileName().toString(), r + 1, row));
        }
        return rows;
    }

    /** Why a row could not be replayed, in words: a garbled number names its line rather than Java's parser. */
    static String why(MeasurementRow row, RuntimeException e) {
        return e instanceof NumberFormatException ? row.file() + " line " + row.line() + ": a cell that should be a number is not ("
                + e.getMessage() + ")" : e.getMessage();
    }

    /** A validation file's text; missing, unreadable or not UTF-8 is one line naming the file. */
    static String readText(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("validation data " + file + " not found");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidInputException("validation data " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read validation data " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Settings a file without a settings column leaves in its sources (a build command quoted in the issue), read
     * from row-settings.csv beside it: id, settings, source. The published file itself stays a verbatim copy.
     */
    private static Map<String, String> settingsFromSources(Path csv) {
        Path overlay = csv.resolveSibling("row-settings.csv");
        if (!Files.isRegularFile(overlay)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            List<List<String>> records = parse(Files.readString(overlay, StandardCharsets.UTF_8), overlay.toString());
            for (List<String> r : records.subList(1, records.size())) {
                if (r.size() >= 2 && !r.get(0).isBlank()) {
                    out.put(r.get(0).trim(), r.get(1).trim());
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + overlay + ": " + e.getMessage());
        }
        return out;
    }

    /** Splits CSV text into records of cells, honouring double quotes (with "" as an escaped quote). */
    static List<List<String>> parse(String text, String file) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cell.toString());
                cell.setLength(0);
                out.add(record);
                record = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new InvalidInputException(file + ": a quoted cell is not closed (truncated?)");
        }
        if (cell.length() > 0 || !record.isEmpty()) {
            record.add(cell.toString());
            out.add(record);
        }
        return out;
    }
}

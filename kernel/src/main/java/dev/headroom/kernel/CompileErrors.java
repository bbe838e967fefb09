package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jshell.Diag;

/** Turns JShell diagnostics of a rejected snippet into a failure that names the cell line and column. */
final class CompileErrors {
    static final String ENAME = "CompilationError";

    private CompileErrors() {}

    /**
     * @param diagnostics the snippet's diagnostics (errors and warnings)
     * @param cell        the whole cell
     * @param start       offset of the snippet in the cell
     */
    static CellFailure failure(List<Diag> diagnostics, String cell, int start) {
        CellText text = new CellText(cell);
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag diag : diagnostics) {
            if (!diag.isError()) {
                continue;
            }
            List<String> message = messageLines(diag);
            String headline = message.isEmpty() ? "compilation failed" : message.get(0);
            long position = diag.getPosition();
            String location = "";
            if (position != Diag.NOPOS) {
                int at = start + (int) position;
                location = "line " + text.lineOf(at) + ", column " + text.columnOf(at);
                lines.add(ENAME + ": " + location + ": " + headline);
                String source = text.lineAt(at);
                lines.add("    " + source);
                lines.add("    " + " ".repeat(Math.max(0, text.columnOf(at) - 1)) + "^");
            } else {
                lines.add(ENAME + ": " + headline);
            }
            for (String detail : message.subList(Math.min(1, message.size()), message.size())) {
                lines.add("  " + detail.strip());
            }
            if (first == null) {
                first = (location.isEmpty() ? "" : location + ": ") + oneLine(message);
            }
        }
        if (first == null) {
            first = "the snippet was rejected without a diagnostic";
            lines.add(first);
        }
        return CellFailure.of(ENAME, first, lines);
    }

    /** "cannot find symbol (symbol: variable x, location: class Foo)": javac's lines on one line. */
    private static String oneLine(List<String> message) {
        if (message.isEmpty()) {
            return "compilation failed";
        }
        List<String> details = message.subList(1, message.size()).stream()
                .map(line -> line.strip().replaceAll("\\s+", " "))
                .toList();
        return message.get(0).strip() + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    /** The diagnostic's message lines, without JShell's meaningless "location: class" line. */
    private static List<String> messageLines(Diag diag) {
        List<String> lines = new ArrayList<>();
        for (String line : diag.getMessage(Locale.ROOT).split("\\R")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.equals("location: class") || stripped.contains("$JShell$")) {
                continue;
            }
            lines.add(line);
        }
        return lines;
    }
}

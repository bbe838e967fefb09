package dev.headroom.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which cell and line each JShell snippet came from, so a stack frame in snippet
 * {@code #12} line 2 can be shown as "line 5" of the current cell, or "In [3] line 5" of an earlier one.
 */
final class SnippetOrigins {
    private record Origin(String cell, int firstLine) {}

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private volatile String currentCell = "";

    void beginCell(String cellLabel) {
        currentCell = cellLabel;
    }

    void record(String snippetId, String cellLabel, int firstLine) {
        origins.put(snippetId, new Origin(cellLabel, firstLine));
    }

    /** "line 5" for the current cell, "In [3] line 5" for another one, "snippet #12 line 2" if unknown. */
    String describe(String snippetId, int lineInSnippet) {
        return describe(snippetId, lineInSnippet, false);
    }

    /** As {@link #describe(String, int)}, naming the cell even when it is the current one when {@code qualified}. */
    String describe(String snippetId, int lineInSnippet, boolean qualified) {
        Origin origin = origins.get(snippetId);
        if (origin == null) {
            return "snippet #" + snippetId + (lineInSnippet > 0 ? " line " + lineInSnippet : "");
        }
        String line = lineInSnippet > 0 ? "line " + (origin.firstLine() + lineInSnippet - 1) : "";
        if (!qualified && origin.cell().equals(currentCell)) {
            return line.isEmpty() ? "this cell" : line;
        }
        return line.isEmpty() ? origin.cell() : origin.cell() + " " + line;
    }
}

package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits a cell into JShell snippets (statements, declarations, imports, expressions), keeping
 * where each one starts in the cell so diagnostics and stack frames can name cell lines.
 */
final class CellSplitter {
    /**
     * One snippet of a cell.
     *
     * @param source   the text to give {@code JShell.eval} (JShell adds a missing final semicolon)
     * @param start    offset in the cell where the snippet's text begins
     * @param complete false when the cell ends in the middle of this snippet
     */
    record Piece(String source, int start, boolean complete) {}

    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    List<Piece> split(String cell) {
        List<Piece> pieces = new ArrayList<>();
        String rest = cell;
        while (true) {
            int start = cell.length() - rest.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                return pieces;
            }
            if (completeness == Completeness.UNKNOWN) {
                // Not recognisable as any snippet: let JShell compile the rest to get its diagnostics.
                pieces.add(new Piece(rest, start, true));
                return pieces;
            }
            if (!completeness.isComplete()) {
                pieces.add(new Piece(rest, start, false));
                return pieces;
            }
            int lead = leadingBlank(info.source());
            pieces.add(new Piece(info.source().substring(lead), start + lead, true));
            if (info.remaining().length() >= rest.length()) {
                return pieces;
            }
            rest = info.remaining();
        }
    }

    /**
     * Length of the whitespace and comments a snippet starts with. They are cut off before the
     * snippet goes to JShell: JShell numbers the lines of stack frames from the first token.
     */
    static int leadingBlank(String source) {
        int at = 0;
        while (at < source.length()) {
            if (Character.isWhitespace(source.charAt(at))) {
                at++;
            } else if (source.startsWith("//", at)) {
                int end = source.indexOf('\n', at);
                at = end < 0 ? source.length() : end + 1;
            } else if (source.startsWith("/*", at) && !source.startsWith("/**", at)) {
                int end = source.indexOf("*/", at + 2);
                if (end < 0) {
                    return at;
                }
                at = end + 2;
            } else {
                return at;
            }
        }
        return at;
    }

    /** Offset where the snippet holding {@code cursor} starts (completion and inspection work on that snippet). */
    int startOfPieceAt(String cell, int cursor) {
        int start = 0;
        String rest = cell;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().length() >= rest.length()) {
                return start;
            }
            int end = cell.length() - info.remaining().length();
            if (end >= cursor) {
                return start;
            }
            start = end;
            rest = info.remaining();
        }
    }
}

package dev.headroom.kernel;

/** Line and column arithmetic over a cell's source text (1-based, as editors show them). */
final class CellText {
    private final String text;

    CellText(String text) {
        this.text = text;
    }

    /** 1-based line of the character at {@code offset}. */
    int lineOf(int offset) {
        int line = 1;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based column of the character at {@code offset}. */
    int columnOf(int offset) {
        int end = Math.min(offset, text.length());
        int lineStart = text.lastIndexOf('\n', end - 1) + 1;
        return end - lineStart + 1;
    }

    /** The text of the line holding {@code offset}, without its line break. */
    String lineAt(int offset) {
        int at = Math.min(offset, text.length());
        int start = text.lastIndexOf('\n', at - 1) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** Line of the first non-blank character at or after {@code offset} (where a snippet really starts). */
    int firstCodeLine(int offset) {
        int at = offset;
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return lineOf(at);
    }
}

package dev.headroom.kernel;

import tech.tablesaw.api.Table;

/** A Tablesaw table as aligned plain text, at most {@link #MAX_ROWS} rows (Tablesaw's own printer). */
final class TableText {
    static final int MAX_ROWS = 40;

    private TableText() {}

    static String render(Table table) {
        String text = table.print(MAX_ROWS);
        if (table.rowCount() > MAX_ROWS) {
            text += "\n… " + String.format("%,d", table.rowCount()) + " rows in all";
        }
        return text;
    }
}

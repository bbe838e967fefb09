package dev.headroom.kernel;

import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A Tablesaw table as an HTML {@code <table>}: escaped cells, numbers right-aligned, at most {@link #MAX_ROWS} rows. */
final class TableHtml {
    static final int MAX_ROWS = 100;

    private TableHtml() {}

    static String render(Table table) {
        int rows = table.rowCount();
        int shown = Math.min(rows, MAX_ROWS);
        List<Column<?>> columns = table.columns();
        StringBuilder html = new StringBuilder(256 + shown * columns.size() * 24);
        html.append("<div class=\"headroom-table\">\n<table class=\"dataframe\">\n");
        html.append("<caption style=\"caption-side: top; text-align: left\">")
                .append(Html.escape(table.name() == null || table.name().isBlank() ? "table" : table.name()))
                .append(" — ").append(String.format("%,d", rows)).append(rows == 1 ? " row" : " rows")
                .append(" × ").append(columns.size()).append(columns.size() == 1 ? " column" : " columns")
                .append("</caption>\n<thead>\n<tr>");
        for (Column<?> column : columns) {
            html.append("<th").append(align(column)).append('>').append(Html.escape(column.name())).append("</th>");
        }
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (int row = 0; row < shown; row++) {
            html.append("<tr>");
            for (Column<?> column : columns) {
                html.append("<td").append(align(column)).append('>').append(Html.escape(column.getString(row))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (rows > shown) {
            html.append("<p class=\"headroom-table-more\">… ").append(String.format("%,d", rows - shown))
                    .append(" more rows (showing the first ").append(shown).append(")</p>\n");
        }
        return html.append("</div>").toString();
    }

    private static String align(Column<?> column) {
        return column instanceof NumericColumn<?> ? " style=\"text-align: right\"" : " style=\"text-align: left\"";
    }
}

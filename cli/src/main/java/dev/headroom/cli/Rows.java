package dev.headroom.cli;

import dev.headroom.core.Column;
import dev.headroom.core.Columns;
import dev.headroom.core.Estimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/** Estimates and tables as ordered maps keyed by the column list's names, for JSON and CSV. */
final class Rows {
    private Rows() {}

    /** Every column of the list, then the assumptions. */
    static Map<String, Object> of(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Column c : Columns.ALL) {
            m.put(c.name(), c.value(e));
        }
        m.put("assumptions", e.assumptions());
        return m;
    }

    /** A Tablesaw table's rows; missing cells are null. */
    static List<Map<String, Object>> of(Table t) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (tech.tablesaw.columns.Column<?> c : t.columns()) {
                m.put(c.name(), c.isMissing(r) ? null : c.get(r));
            }
            rows.add(m);
        }
        return rows;
    }
}

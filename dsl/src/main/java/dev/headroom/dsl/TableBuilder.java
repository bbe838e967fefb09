package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.selection.Selection;

/**
 * Fills one primitive array per column, row by row (rows may be filled by several threads at once: each writes
 * only its own rows, and the caller joins them before {@link #build}), then wraps the arrays as Tablesaw
 * columns, one column per task. Columns are grouped by kind so the per-row loop has no casts or switches, and a
 * column whose value depends only on the deployment is read once per deployment, then copied. Missing values stay
 * missing: NaN and Long.MIN_VALUE are Tablesaw's own missing markers.
 */
final class TableBuilder {
    static {
        // Tablesaw's ColumnType interface and its column-type classes initialise each other. Two threads that first
        // create different column kinds at once (build() below, on a fresh JVM) deadlock on those class locks, so the
        // whole set is initialised here, on one thread, before any parallel build.
        tech.tablesaw.api.ColumnType.values();
    }

    private final String name;
    private final List<Column> order;
    // Columns by kind: their arrays, how to read them, and whether they are per deployment.
    private final String[] longNames;
    private final String[] doubleNames;
    private final String[] textNames;
    private final long[][] longs;
    private final ToLongFunction<Estimate>[] longFns;
    private final boolean[] longConst;
    private final double[][] doubles;
    private final ToDoubleFunction<Estimate>[] doubleFns;
    private final boolean[] doubleConst;
    private final String[][] texts;
    private final Function<Estimate, String>[] textFns;
    private final boolean[] textConst;
    private final boolean[][] flags;
    private final Predicate<Estimate>[] flagFns;
    /** Per deployment, the per-deployment values by kind (filled on first use; a race only computes them twice). */
    private final long[][] constLongs;
    private final double[][] constDoubles;
    private final String[][] constTexts;

    @SuppressWarnings("unchecked")
    TableBuilder(String name, List<Column> columns, int rows, int deployments) {
        this.name = name;
        this.order = List.copyOf(columns);
        List<Column> l = new ArrayList<>();
        List<Column> d = new ArrayList<>();
        List<Column> t = new ArrayList<>();
        List<Column> f = new ArrayList<>();
        for (Column c : columns) {
            switch (c.kind()) {
                case WHOLE -> l.add(c);
                case REAL -> d.add(c);
                case TEXT -> t.add(c);
                case FLAG -> f.add(c);
            }
        }
        longNames = l.stream().map(Column::name).toArray(String[]::new);
        doubleNames = d.stream().map(Column::name).toArray(String[]::new);
        textNames = t.stream().map(Column::name).toArray(String[]::new);
        longs = new long[l.size()][rows];
        longFns = l.stream().map(Column::whole).toArray(ToLongFunction[]::new);
        longConst = flagsOf(l, deployments);
        doubles = new double[d.size()][rows];
        doubleFns = d.stream().map(Column::real).toArray(ToDoubleFunction[]::new);
        doubleConst = flagsOf(d, deployments);
        texts = new String[t.size()][rows];
        textFns = t.stream().map(Column::text).toArray(Function[]::new);
        textConst = flagsOf(t, deployments);
        flags = new boolean[f.size()][rows];
        flagFns = f.stream().map(Column::flag).toArray(Predicate[]::new);
        constLongs = new long[deployments][];
        constDoubles = new double[deployments][];
        constTexts = new String[deployments][];
    }

    TableBuilder(String name, List<Column> columns, int rows) {
        this(name, columns, rows, 0);
    }

    private static boolean[] flagsOf(List<Column> columns, int deployments) {
        boolean[] out = new boolean[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = deployments > 0 && columns.get(i).perDeployment();
        }
        return out;
    }

    /** One row, every column read from the estimate. */
    void set(int row, Estimate e) {
        for (int i = 0; i < longs.length; i++) {
            longs[i][row] = longFns[i].applyAsLong(e);
        }
        for (int i = 0; i < doubles.length; i++) {
            double v = doubleFns[i].applyAsDouble(e);
            doubles[i][row] = Double.isFinite(v) ? v : Double.NaN;
        }
        for (int i = 0; i < texts.length; i++) {
            texts[i][row] = textFns[i].apply(e);
        }
        for (int i = 0; i < flags.length; i++) {
            flags[i][row] = flagFns[i].test(e);
        }
    }

    /**
     * Rows {@code [from, from + count)}, filled column by column from their estimates (each column's loop stays
     * hot); {@code deployments[i]} is the deployment of row {@code from + i}.
     */
    void setAll(int from, Estimate[] estimates, int[] deployments, int count) {
        for (int i = 0; i < count; i++) {
            if (estimates[i] != null) {
                ensureConstants(deployments[i], estimates[i]);
            }
        }
        for (int c = 0; c < longs.length; c++) {
            long[] out = longs[c];
            if (longConst[c]) {
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        out[from + i] = constLongs[deployments[i]][c];
                    }
                }
            } else {
                ToLongFunction<Estimate> f = longFns[c];
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        out[from + i] = f.applyAsLong(estimates[i]);
                    }
                }
            }
        }
        for (int c = 0; c < doubles.length; c++) {
            double[] out = doubles[c];
            if (doubleConst[c]) {
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        out[from + i] = constDoubles[deployments[i]][c];
                    }
                }
            } else {
                ToDoubleFunction<Estimate> f = doubleFns[c];
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        double v = f.applyAsDouble(estimates[i]);
                        out[from + i] = Double.isFinite(v) ? v : Double.NaN;
                    }
                }
            }
        }
        for (int c = 0; c < texts.length; c++) {
            String[] out = texts[c];
            if (textConst[c]) {
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        out[from + i] = constTexts[deployments[i]][c];
                    }
                }
            } else {
                Function<Estimate, String> f = textFns[c];
                for (int i = 0; i < count; i++) {
                    if (estimates[i] != null) {
                        out[from + i] = f.apply(estimates[i]);
                    }
                }
            }
        }
        for (int c = 0; c < flags.length; c++) {
            boolean[] out = flags[c];
            Predicate<Estimate> f = flagFns[c];
            for (int i = 0; i < count; i++) {
                if (estimates[i] != null) {
                    out[from + i] = f.test(estimates[i]);
                }
            }
        }
    }

    /**
     * A row whose deployment cannot be made (a split the model's heads do not divide, more stages than layers): the
     * settings the scenario names, {@code fits} false, {@code limit} the reason, everything else missing.
     */
    void setCannotDeploy(int row, Scenario s, String why) {
        for (int i = 0; i < longs.length; i++) {
            longs[i][row] = SetupValues.whole(longNames[i], s);
        }
        for (int i = 0; i < doubles.length; i++) {
            doubles[i][row] = SetupValues.real(doubleNames[i], s);
        }
        for (int i = 0; i < texts.length; i++) {
            texts[i][row] = textNames[i].equals("limit") ? "cannot deploy: " + why
                    : textNames[i].equals("not_estimated") ? "cannot deploy" : SetupValues.text(textNames[i], s);
        }
        for (int i = 0; i < flags.length; i++) {
            flags[i][row] = false;
        }
    }

    private void ensureConstants(int deployment, Estimate e) {
        if (constLongs[deployment] != null && constDoubles[deployment] != null && constTexts[deployment] != null) {
            return;
        }
        long[] cl = new long[longs.length];
        for (int i = 0; i < cl.length; i++) {
            cl[i] = longConst[i] ? longFns[i].applyAsLong(e) : 0;
        }
        double[] cd = new double[doubles.length];
        for (int i = 0; i < cd.length; i++) {
            double v = doubleConst[i] ? doubleFns[i].applyAsDouble(e) : 0;
            cd[i] = Double.isFinite(v) ? v : Double.NaN;
        }
        String[] ct = new String[texts.length];
        for (int i = 0; i < ct.length; i++) {
            ct[i] = textConst[i] ? textFns[i].apply(e) : null;
        }
        constLongs[deployment] = cl;
        constDoubles[deployment] = cd;
        constTexts[deployment] = ct;
    }

    /** Wraps the filled arrays as columns (one column per task), in the column list's order. */
    Table build() {
        int n = order.size();
        tech.tablesaw.columns.Column<?>[] out = new tech.tablesaw.columns.Column<?>[n];
        int[] index = new int[n];
        int l = 0;
        int d = 0;
        int t = 0;
        int f = 0;
        for (int c = 0; c < n; c++) {
            index[c] = switch (order.get(c).kind()) {
                case WHOLE -> l++;
                case REAL -> d++;
                case TEXT -> t++;
                case FLAG -> f++;
            };
        }
        // Tablesaw's column types initialise one another (ColumnType's constants are the concrete types, which
        // implement it): first touched from several threads at once they deadlock, so load them all here first.
        tech.tablesaw.api.ColumnType.values();
        IntStream.range(0, n).parallel().forEach(c -> {
            Column col = order.get(c);
            int i = index[c];
            out[c] = switch (col.kind()) {
                case WHOLE -> CellFormats.apply(LongColumn.create(col.name(), longs[i]), col.unit());
                case REAL -> CellFormats.apply(DoubleColumn.create(col.name(), doubles[i]), col.unit());
                case TEXT -> StringColumn.create(col.name(), texts[i]);
                case FLAG -> flagColumn(col.name(), flags[i]);
            };
        });
        return Table.create(name, out);
    }

    /** A boolean column from the rows that are true (Tablesaw's bit set is slow, and unsafe, to fill one value at a time). */
    private static BooleanColumn flagColumn(String name, boolean[] values) {
        int count = 0;
        for (boolean v : values) {
            count += v ? 1 : 0;
        }
        int[] trues = new int[count];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i]) {
                trues[k++] = i;
            }
        }
        return BooleanColumn.create(name, Selection.with(trues), values.length);
    }
}

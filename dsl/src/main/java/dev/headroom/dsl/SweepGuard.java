package dev.headroom.dsl;

import dev.headroom.core.Column;
import dev.headroom.core.base.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a sweep whose table would not fit the heap, before computing anything: the message names the row
 * count, the memory it needs and the heap there is, instead of a JVM thrashing for minutes.
 */
final class SweepGuard {
    /** Bytes one cell takes while the table is built: the array slot, then Tablesaw's copy (text: a reference, then a key). */
    private static final long BYTES_PER_NUMBER = 16;
    private static final long BYTES_PER_TEXT = 12;
    /** Share of the heap a sweep may take while it is built: the rest is for the notebook's own work. */
    private static final double SHARE = 0.6;

    private SweepGuard() {}

    static void checkFits(long rows, List<Column> columns) {
        long perRow = 0;
        for (Column c : columns) {
            perRow += c.kind() == Column.Kind.TEXT ? BYTES_PER_TEXT : c.kind() == Column.Kind.FLAG ? 2 : BYTES_PER_NUMBER;
        }
        long max = Runtime.getRuntime().maxMemory();
        double needed = (double) rows * perRow;
        if (rows > Integer.MAX_VALUE || needed > SHARE * max) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "this sweep has %,d rows; building its table needs about %.1f GiB, more than %.0f%% of the %.1f GiB heap: "
                            + "sweep fewer values, pass fewer columns to table(...), or give the JVM more heap "
                            + "(HEADROOM_KERNEL_XMX for the notebook kernel)",
                    rows, needed / (1L << 30), 100 * SHARE, max / (double) (1L << 30)));
        }
    }
}

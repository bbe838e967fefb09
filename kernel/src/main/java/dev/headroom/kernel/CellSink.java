package dev.headroom.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/** Where the output of one cell execution goes: the Jupyter request's iopub messages, or a test's streams. */
interface CellSink {
    /** Text the cell printed (complete UTF-8 characters), on stdout or stderr. */
    void stream(boolean stderr, String text);

    /** A {@code display_data} output (its display id, if any, is in the data's transient part). */
    void display(DisplayData data);

    /** An {@code update_display_data}: replaces every output shown under the data's display id. */
    void updateDisplay(DisplayData data);
}

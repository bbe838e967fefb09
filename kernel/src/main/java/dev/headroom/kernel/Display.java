package dev.headroom.kernel;

import java.util.UUID;

/**
 * {@code display(value)} and {@code updateDisplay(id, value)} for notebook cells (statically imported
 * by the kernel), as in IJava: show a value now, in the middle of a cell, and replace that output
 * later in place (a progress line, a chart that grows). Values render as they do at the end of a cell.
 * Outside the kernel (plain jshell) {@code display} prints {@code toString()}.
 */
public final class Display {
    /** The kernel's side: renders and sends. */
    interface Target {
        void display(Object value, String displayId);

        void update(Object value, String displayId);
    }

    private static volatile Target target;

    private Display() {}

    static void attach(Target kernel) {
        target = kernel;
    }

    static void detach(Target kernel) {
        if (target == kernel) {
            target = null;
        }
    }

    /** Shows {@code value} as an output of the running cell; returns the id that {@link #updateDisplay} takes. */
    public static String display(Object value) {
        String id = UUID.randomUUID().toString();
        Target kernel = target;
        if (kernel == null) {
            System.out.println(value);
        } else {
            kernel.display(value, id);
        }
        return id;
    }

    /** Replaces the output shown by {@code display} under {@code id} with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned, not '" + id + "'");
        }
        Target kernel = target;
        if (kernel == null) {
            System.out.println(value);
        } else {
            kernel.update(value, id);
        }
    }
}

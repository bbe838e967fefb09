package dev.headroom.dsl;

/**
 * Where long sweeps report how far they are. The notebook kernel and the command line each install a listener that
 * draws a progress bar (the kernel updates one output in place; the command line rewrites one line of stderr);
 * without one nothing is reported. Listeners decide when a bar is worth showing (a sweep that ends within a moment
 * shows none) and must be thread-safe: several sweep workers report at once.
 */
public final class Progress {
    /** One piece of work being reported: a sweep's deployments, or its rows. */
    public interface Task {
        /** {@code done} of the task's total units are finished (called from any worker thread, in any order). */
        void update(long done);

        /** The work ended: completed, or stopped early (interrupted or failed) after {@code done} units. */
        void end(long done, boolean completed);
    }

    @FunctionalInterface
    public interface Listener {
        /** A task of {@code total} units starts; {@code what} says what the units are ("rows", "deployments"). */
        Task start(String what, long total);
    }

    private static final Task SILENT = new Task() {
        @Override
        public void update(long done) {}

        @Override
        public void end(long done, boolean completed) {}
    };

    private static volatile Listener listener;

    private Progress() {}

    /** Installs the listener (null removes it). */
    public static void listen(Listener l) {
        listener = l;
    }

    static Task start(String what, long total) {
        Listener l = listener;
        return l == null ? SILENT : l.start(what, total);
    }
}

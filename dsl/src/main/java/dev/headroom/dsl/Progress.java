package dev.headroom.dsl;

/**
 * Where long sweeps report how far they are. The notebook kernel and the command line each install a listener
 * that draws a progress bar; without one nothing is reported. Listeners must be cheap and thread-safe: several
 * sweep workers report at once.
 */
public final class Progress {
    /** Sweeps shorter than this report nothing: they finish before a bar would be seen. */
    static final long MIN_ROWS = 50_000;

    @FunctionalInterface
    public interface Listener {
        void update(long done, long total);
    }

    private static volatile Listener listener;

    private Progress() {}

    /** Installs the listener (null removes it). */
    public static void listen(Listener l) {
        listener = l;
    }

    static void report(long done, long total) {
        Listener l = listener;
        if (l != null && total >= MIN_ROWS) {
            l.update(done, total);
        }
    }
}

package dev.headroom.kernel;

/**
 * What the kernel weaves into the compiled code of notebook cells ({@link SnippetInstrumenter}).
 * Public only because cell classes live in JShell's class loader; not an API for notebooks.
 */
public final class CellGuard {
    private CellGuard() {}

    /**
     * Called first thing in every cell handler that can catch {@link ThreadDeath} ({@code catch
     * (Throwable | Error | ThreadDeath)}): while the kernel stops the cell, the handler rethrows what it
     * caught, so a loop that swallows everything still ends.
     */
    public static void rethrowIfStopping(Throwable caught) {
        if (CellThreads.isStopping(Thread.currentThread())) {
            throw CellGuard.<RuntimeException>sneaky(caught);
        }
    }

    /** Replaces {@code System.exit(status)} in cell code. */
    public static void exit(int status) {
        throw new ExitRefusedException("System.exit(" + status + ")");
    }

    /** Replaces {@code Runtime.getRuntime().exit(status)} in cell code. */
    public static void exit(Runtime runtime, int status) {
        throw new ExitRefusedException("Runtime.exit(" + status + ")");
    }

    /** Replaces {@code Runtime.getRuntime().halt(status)} in cell code. */
    public static void halt(Runtime runtime, int status) {
        throw new ExitRefusedException("Runtime.halt(" + status + ")");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable thrown) throws T {
        throw (T) thrown;
    }

    /** A cell asked to end the JVM, which is the kernel: refused, the cell fails with this. */
    public static final class ExitRefusedException extends RuntimeException {
        ExitRefusedException(String call) {
            super(call + " was refused: it would end the kernel and every variable of this notebook. "
                    + "To stop a cell, throw an exception; to start afresh, restart the kernel.");
        }
    }
}

package dev.headroom.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * While a cell runs, {@code System.out} and {@code System.err} collect into {@link StreamForwarder}s
 * that are flushed to the Jupyter streams every {@value #FLUSH_MS} ms and once more at the end.
 */
final class CellStreams implements AutoCloseable {
    static final long FLUSH_MS = 50;

    private final PrintStream previousOut;
    private final PrintStream previousErr;
    private final PrintStream out;
    private final PrintStream err;
    private final StreamForwarder outForwarder;
    private final StreamForwarder errForwarder;
    private final ScheduledFuture<?> flushing;

    private CellStreams(PrintStream jupyterOut, PrintStream jupyterErr, ScheduledExecutorService flusher) {
        previousOut = System.out;
        previousErr = System.err;
        outForwarder = new StreamForwarder(jupyterOut);
        errForwarder = new StreamForwarder(jupyterErr);
        out = new PrintStream(outForwarder, false, StandardCharsets.UTF_8);
        err = new PrintStream(errForwarder, false, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);
        flushing = flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** Redirects System.out/err to {@code jupyterOut}/{@code jupyterErr} until {@link #close()}. */
    static CellStreams open(PrintStream jupyterOut, PrintStream jupyterErr, ScheduledExecutorService flusher) {
        return new CellStreams(jupyterOut, jupyterErr, flusher);
    }

    private void flush() {
        out.flush();
        err.flush();
    }

    @Override
    public void close() {
        flushing.cancel(false);
        flush();
        System.setOut(previousOut);
        System.setErr(previousErr);
    }
}

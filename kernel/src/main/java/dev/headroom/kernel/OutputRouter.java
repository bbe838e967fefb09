package dev.headroom.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code System.out} and {@code System.err} of the kernel JVM, installed once: each write goes where
 * the writing thread belongs.
 *
 * <ul>
 *   <li>A thread of the running cell (or one running its code): that cell's output, collected and
 *       sent every {@value #FLUSH_MS} ms while it runs, so output appears during execution without one
 *       Jupyter message per print call.</li>
 *   <li>A thread of an earlier cell that outlived it: the running cell's output too, but every line
 *       prefixed with its origin, {@code [In [3] · worker] ...}, never silently mixed in. While no
 *       cell runs, such lines wait (up to {@value #IDLE_LIMIT} bytes; a note counts what was dropped)
 *       and come first in the next cell.</li>
 *   <li>Any other thread (the kernel's own): the streams the JVM started with, the kernel's log.</li>
 * </ul>
 */
final class OutputRouter {
    static final long FLUSH_MS = 50;
    static final int IDLE_LIMIT = 64 * 1024;

    private final PrintStream kernelOut;
    private final PrintStream kernelErr;
    private final Function<Thread, String> ownerOf;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "headroom-stream-flusher");
        thread.setDaemon(true);
        return thread;
    });
    private final ByteArrayOutputStream idleOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream idleErr = new ByteArrayOutputStream();
    private long idleDropped;
    /** Per thread: whether its last write to out / err ended mid-line (no prefix before the next bytes). */
    private final Map<Thread, boolean[]> midLine = new WeakHashMap<>();
    private volatile Cell current;
    private PrintStream previousOut;
    private PrintStream previousErr;

    final PrintStream out;
    final PrintStream err;

    /**
     * @param kernelOut where output of no cell goes (the kernel's stdout)
     * @param kernelErr where errors of no cell go (the kernel's stderr)
     * @param ownerOf   the label of the cell a thread works for, or null for the kernel's own threads
     */
    OutputRouter(PrintStream kernelOut, PrintStream kernelErr, Function<Thread, String> ownerOf) {
        this.kernelOut = kernelOut;
        this.kernelErr = kernelErr;
        this.ownerOf = ownerOf;
        this.out = new PrintStream(new Route(false), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(new Route(true), true, StandardCharsets.UTF_8);
    }

    /** Makes this router {@code System.out} and {@code System.err} until {@link #uninstall()}. */
    synchronized void install() {
        if (previousOut == null) {
            previousOut = System.out;
            previousErr = System.err;
        }
        System.setOut(out);
        System.setErr(err);
    }

    synchronized void uninstall() {
        if (previousOut != null) {
            System.setOut(previousOut);
            System.setErr(previousErr);
            previousOut = null;
            previousErr = null;
        }
        flusher.shutdownNow();
    }

    /** The output of one cell execution. */
    final class Cell {
        private final String label;
        private final StreamForwarder out;
        private final StreamForwarder err;
        private final ScheduledFuture<?> flushing;

        private Cell(String label, CellSink sink) {
            this.label = label;
            this.out = new StreamForwarder(toSink(sink, false));
            this.err = new StreamForwarder(toSink(sink, true));
            this.flushing = flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        }

        String label() {
            return label;
        }

        /** Sends what was collected so far (before a display, so outputs stay in order). */
        void flush() {
            out.forward();
            err.forward();
        }

        /** The kernel's own text for this cell (magics), in order with what the cell printed. */
        void print(boolean stderr, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            (stderr ? err : out).write(bytes, 0, bytes.length);
        }

        private StreamForwarder forwarder(boolean stderr) {
            return stderr ? err : out;
        }
    }

    /** Starts collecting the output of the cell {@code label}; lines background threads printed while idle come first. */
    Cell begin(String label, CellSink sink) {
        Cell cell = new Cell(label, sink);
        synchronized (this) {
            if (idleOut.size() > 0) {
                cell.out.write(idleOut.toByteArray(), 0, idleOut.size());
                idleOut.reset();
            }
            if (idleErr.size() > 0) {
                cell.err.write(idleErr.toByteArray(), 0, idleErr.size());
                idleErr.reset();
            }
            if (idleDropped > 0) {
                cell.print(true, String.format("[%,d more bytes printed by threads of earlier cells while no cell ran were dropped]%n",
                        idleDropped));
                idleDropped = 0;
            }
            current = cell;
        }
        return cell;
    }

    /** The cell ended: what it printed is sent, and its threads' later output is attributed to it. */
    void end(Cell cell) {
        synchronized (this) {
            if (current == cell) {
                current = null;
            }
        }
        cell.flushing.cancel(false);
        cell.flush();
    }

    /** The cell running now, or null. */
    Cell current() {
        return current;
    }

    private void write(boolean stderr, byte[] bytes, int offset, int length) {
        Thread thread = Thread.currentThread();
        String owner = ownerOf.apply(thread);
        if (owner == null) {
            PrintStream kernel = stderr ? kernelErr : kernelOut;
            kernel.write(bytes, offset, length);
            kernel.flush();
            return;
        }
        synchronized (this) {
            Cell cell = current;
            if (cell != null && owner.equals(cell.label)) {
                cell.forwarder(stderr).write(bytes, offset, length);
                return;
            }
            byte[] prefixed = prefixLines(thread, stderr, "[" + owner + " · " + thread.getName() + "] ", bytes, offset, length);
            if (cell != null) {
                cell.forwarder(stderr).write(prefixed, 0, prefixed.length);
                return;
            }
            ByteArrayOutputStream idle = stderr ? idleErr : idleOut;
            if (idleOut.size() + idleErr.size() + prefixed.length > IDLE_LIMIT) {
                idleDropped += prefixed.length;
            } else {
                idle.write(prefixed, 0, prefixed.length);
            }
        }
    }

    /** {@code bytes} with {@code prefix} at the start of every line (a thread's line may span writes). */
    private byte[] prefixLines(Thread thread, boolean stderr, String prefix, byte[] bytes, int offset, int length) {
        boolean[] state = midLine.computeIfAbsent(thread, t -> new boolean[2]);
        int kind = stderr ? 1 : 0;
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + prefixBytes.length * 2);
        for (int i = offset; i < offset + length; i++) {
            if (!state[kind]) {
                out.write(prefixBytes, 0, prefixBytes.length);
                state[kind] = true;
            }
            out.write(bytes[i]);
            if (bytes[i] == '\n') {
                state[kind] = false;
            }
        }
        return out.toByteArray();
    }

    private static PrintStream toSink(CellSink sink, boolean stderr) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (length > 0) {
                    sink.stream(stderr, new String(bytes, offset, length, StandardCharsets.UTF_8));
                }
            }
        }, false, StandardCharsets.UTF_8);
    }

    private final class Route extends OutputStream {
        private final boolean stderr;

        Route(boolean stderr) {
            this.stderr = stderr;
        }

        @Override
        public void write(int b) {
            OutputRouter.this.write(stderr, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            OutputRouter.this.write(stderr, bytes, offset, length);
        }
    }
}

package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a sweep's rows in chunks on every core. The calling thread waits; when it is interrupted (a notebook's
 * interrupt button) the workers stop at their next chunk and the sweep ends with a clear message, so an
 * interrupted cell does not keep computing. Progress goes to {@link Progress}.
 */
final class SweepRunner {
    /** Rows per chunk: large enough that coordination costs nothing, small enough to stop within milliseconds. */
    static final int CHUNK = 4096;

    @FunctionalInterface
    interface Rows {
        void run(long from, long to);
    }

    private SweepRunner() {}

    static void run(long rows, Rows work) {
        int threads = rows < 2L * CHUNK ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), (int) Math.min(64, rows / CHUNK));
        if (threads == 1) {
            for (long from = 0; from < rows; from += CHUNK) {
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(from, rows);
                }
                work.run(from, Math.min(rows, from + CHUNK));
                Progress.report(Math.min(rows, from + CHUNK), rows);
            }
            return;
        }
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "headroom-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    long from;
                    while (!stop.get() && (from = next.getAndAdd(CHUNK)) < rows) {
                        long to = Math.min(rows, from + CHUNK);
                        work.run(from, to);
                        Progress.report(done.addAndGet(to - from), rows);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw interrupted(done.get(), rows);
        } catch (ExecutionException e) {
            stop.set(true);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    private static InvalidInputException interrupted(long done, long rows) {
        return new InvalidInputException("sweep interrupted after " + done + " of " + rows + " rows");
    }
}

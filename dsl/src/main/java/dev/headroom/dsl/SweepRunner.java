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
 * Runs a sweep's work in chunks on every core. The calling thread waits; when it is interrupted (a notebook's
 * interrupt button) the workers stop at their next chunk and the sweep ends with a clear message, so an
 * interrupted cell does not keep computing. Progress goes to {@link Progress} after every chunk.
 */
final class SweepRunner {
    /** Rows per chunk: large enough that coordination costs nothing, small enough to stop within milliseconds. */
    static final int ROW_CHUNK = 4096;

    @FunctionalInterface
    interface Work {
        void run(long from, long to);
    }

    private SweepRunner() {}

    /**
     * Runs {@code work} over {@code [0, units)} in chunks of {@code chunk}; {@code what} names the units for the
     * progress bar and the interruption message.
     */
    static void run(String what, long units, int chunk, Work work) {
        Progress.Task progress = Progress.start(what, units);
        AtomicLong done = new AtomicLong();
        boolean completed = false;
        try {
            int threads = units < 2L * chunk ? 1 : (int) Math.min(Runtime.getRuntime().availableProcessors(), Math.min(64, units / chunk));
            if (threads == 1) {
                runHere(what, units, chunk, work, progress, done);
            } else {
                runOnPool(what, units, chunk, threads, work, progress, done);
            }
            completed = true;
        } finally {
            progress.end(done.get(), completed);
        }
    }

    private static void runHere(String what, long units, int chunk, Work work, Progress.Task progress, AtomicLong done) {
        for (long from = 0; from < units; from += chunk) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(what, done.get(), units);
            }
            long to = Math.min(units, from + chunk);
            work.run(from, to);
            progress.update(done.addAndGet(to - from));
        }
    }

    private static void runOnPool(String what, long units, int chunk, int threads, Work work, Progress.Task progress, AtomicLong done) {
        AtomicLong next = new AtomicLong();
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
                    while (!stop.get() && (from = next.getAndAdd(chunk)) < units) {
                        long to = Math.min(units, from + chunk);
                        work.run(from, to);
                        progress.update(done.addAndGet(to - from));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw interrupted(what, done.get(), units);
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

    private static InvalidInputException interrupted(String what, long done, long units) {
        return new InvalidInputException(String.format(java.util.Locale.ROOT, "sweep interrupted after %,d of %,d %s", done, units, what));
    }
}

package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread of one cell, so that an interrupt can stop all of them.
 *
 * <p>The cell's code runs as a task of a {@link ForkJoinPool} of its own whose workers belong to this
 * thread group. Threads the cell starts inherit the group of the thread that creates them, so they
 * belong to it too; and a parallel stream forks its tasks into the pool of the worker that runs it, so
 * the DSL's parallel sweeps run here rather than in the JVM-wide common pool (where stopping the cell's
 * thread used to leave them computing for tens of seconds). Tasks the cell hands to the common pool
 * itself ({@code CompletableFuture.supplyAsync}) are found by the classes of this cell on their stacks.
 *
 * <p>Threads that outlive the cell stay in the group, which is how their output is attributed to it.
 */
final class CellThreads extends ThreadGroup {
    private static final ThreadGroup ALL_CELLS = new ThreadGroup("headroom-cells");
    /** Common-pool threads being stopped because they ran a stopped cell's code. */
    private static final Set<Thread> STOPPING_ELSEWHERE = ConcurrentHashMap.newKeySet();
    private static volatile boolean anyStopping;

    private static final long POLL_MS = 10;
    private static final long STOP_EVERY_MS = 50;

    private final String label;
    private final ForkJoinPool pool;
    private final Set<String> classes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger workers = new AtomicInteger();
    private volatile ClassLoader contextLoader;
    private volatile boolean stopping;

    /** How a stop went: threads of the cell still alive when it gave up, and whether the JVM could stop threads at all. */
    record StopReport(List<String> survivors, boolean stopUnsupported, long millis) {
        StopReport {
            survivors = List.copyOf(survivors);
        }
    }

    CellThreads(String label) {
        super(ALL_CELLS, "headroom-cell " + label);
        this.label = label;
        this.pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()), this::newWorker, null, false);
    }

    String label() {
        return label;
    }

    /** Runs {@code task} on a worker of this cell's pool, with {@code loader} as its context class loader. */
    void execute(Runnable task, ClassLoader loader) {
        contextLoader = loader;
        pool.execute(task);
    }

    /** Remembers a class defined while this cell ran (to recognise its frames on other threads' stacks). */
    void classLoaded(String className) {
        classes.add(className);
    }

    /**
     * JDK 17's {@code ForkJoinWorkerThread} joins the group of the thread that creates it, and the pool
     * creates workers from whichever thread submits: create them from a thread of this group.
     */
    private ForkJoinWorkerThread newWorker(ForkJoinPool forPool) {
        if (stopping) {
            return null;
        }
        if (contains(Thread.currentThread())) {
            return worker(forPool);
        }
        FutureTask<ForkJoinWorkerThread> create = new FutureTask<>(() -> worker(forPool));
        Thread spawner = new Thread(this, create, "headroom-cell-spawner");
        spawner.setDaemon(true);
        spawner.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return create.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ForkJoinWorkerThread worker(ForkJoinPool forPool) {
        ForkJoinWorkerThread thread = new ForkJoinWorkerThread(forPool) {};
        thread.setName(label.replace(" ", "") + "-worker-" + workers.incrementAndGet());
        thread.setDaemon(true);
        if (contextLoader != null) {
            thread.setContextClassLoader(contextLoader);
        }
        return thread;
    }

    private boolean contains(Thread thread) {
        for (ThreadGroup group = thread.getThreadGroup(); group != null; group = group.getParent()) {
            if (group == this) {
                return true;
            }
        }
        return false;
    }

    /** The cell a thread belongs to (it or an ancestor of its group), or null. */
    static CellThreads of(Thread thread) {
        for (ThreadGroup group = thread.getThreadGroup(); group != null; group = group.getParent()) {
            if (group instanceof CellThreads cell) {
                return cell;
            }
        }
        return null;
    }

    /** Whether the kernel is stopping the cell {@code thread} works for (see {@link CellGuard#rethrowIfStopping}). */
    static boolean isStopping(Thread thread) {
        if (!anyStopping) {
            return false;
        }
        if (STOPPING_ELSEWHERE.contains(thread)) {
            return true;
        }
        CellThreads cell = of(thread);
        return cell != null && cell.stopping;
    }

    /** Live threads of this cell (pool workers included). */
    List<Thread> threads() {
        Thread[] found = new Thread[Math.max(16, activeCount() * 2)];
        int n;
        while ((n = enumerate(found, true)) == found.length) {
            found = new Thread[found.length * 2];
        }
        List<Thread> alive = new ArrayList<>(n);
        for (Thread thread : Arrays.asList(found).subList(0, n)) {
            if (thread.isAlive()) {
                alive.add(thread);
            }
        }
        return alive;
    }

    /**
     * The cell ended normally: no new work for its pool, whose idle workers then exit. Returns the
     * threads it leaves running (started by the cell, or pool tasks it did not wait for).
     */
    List<Thread> finish() {
        pool.shutdown();
        try {
            pool.awaitTermination(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Thread> left = new ArrayList<>();
        for (Thread thread : threads()) {
            if (!thread.getName().equals("headroom-cell-spawner")
                    && !(thread instanceof ForkJoinWorkerThread worker && worker.getPool() == pool && pool.isTerminated())) {
                left.add(thread);
            }
        }
        return left;
    }

    /**
     * Stops every thread of the cell: interrupts them (and cancels the pool's queued tasks), waits up to
     * {@code graceMs} for them to end, then {@code Thread.stop}s whatever still runs every
     * {@value #STOP_EVERY_MS} ms until all are gone or {@code limitMs} has passed. Common-pool threads
     * that run this cell's code are stopped the same way.
     */
    @SuppressWarnings({"deprecation", "removal"})
    StopReport stop(long graceMs, long limitMs) {
        long start = System.nanoTime();
        stopping = true;
        anyStopping = true;
        pool.shutdownNow();
        List<Thread> elsewhere = commonPoolThreadsRunningThisCell();
        STOPPING_ELSEWHERE.addAll(elsewhere);
        threads().forEach(Thread::interrupt);
        elsewhere.forEach(Thread::interrupt);
        boolean unsupported = false;
        try {
            while (elapsedMs(start) < graceMs && !allEnded(elsewhere)) {
                sleep(POLL_MS);
            }
            long lastStop = -STOP_EVERY_MS;
            while (elapsedMs(start) < limitMs && !allEnded(elsewhere)) {
                if (elapsedMs(start) - lastStop >= STOP_EVERY_MS) {
                    lastStop = elapsedMs(start);
                    List<Thread> targets = new ArrayList<>(threads());
                    elsewhere = commonPoolThreadsRunningThisCell(elsewhere);
                    STOPPING_ELSEWHERE.addAll(elsewhere);
                    targets.addAll(elsewhere);
                    for (Thread thread : targets) {
                        try {
                            thread.stop();
                        } catch (UnsupportedOperationException e) {
                            unsupported = true; // Java 20+: only interrupts and the woven handler checks remain
                        }
                    }
                }
                sleep(POLL_MS);
            }
            List<String> survivors = new ArrayList<>();
            threads().forEach(t -> survivors.add(t.getName()));
            commonPoolThreadsRunningThisCell(elsewhere).forEach(t -> survivors.add(t.getName()));
            return new StopReport(survivors, unsupported, elapsedMs(start));
        } finally {
            STOPPING_ELSEWHERE.removeIf(t -> !t.isAlive() || !runsCellCode(t, t.getStackTrace()));
        }
    }

    private boolean allEnded(List<Thread> elsewhere) {
        if (!threads().isEmpty()) {
            return false;
        }
        for (Thread thread : elsewhere) {
            if (thread.isAlive() && runsCellCode(thread, thread.getStackTrace())) {
                return false;
            }
        }
        return true;
    }

    private List<Thread> commonPoolThreadsRunningThisCell() {
        List<Thread> found = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()
                    && runsCellCode(thread, entry.getValue())) {
                found.add(thread);
            }
        }
        return found;
    }

    private List<Thread> commonPoolThreadsRunningThisCell(List<Thread> known) {
        List<Thread> found = commonPoolThreadsRunningThisCell();
        for (Thread thread : known) {
            if (!found.contains(thread) && thread.isAlive() && runsCellCode(thread, thread.getStackTrace())) {
                found.add(thread);
            }
        }
        return found;
    }

    private boolean runsCellCode(Thread thread, StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String name = frame.getClassName();
            while (true) {
                if (classes.contains(name)) {
                    return true;
                }
                int nested = name.lastIndexOf('$');
                if (nested <= name.indexOf("$JShell$") + "$JShell".length()) {
                    break;
                }
                name = name.substring(0, nested);
            }
        }
        return false;
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

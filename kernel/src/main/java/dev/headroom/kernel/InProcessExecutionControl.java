package dev.headroom.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in the kernel's own JVM and keeps the real result objects.
 *
 * <p>{@link DirectExecutionControl} turns every result into a string. Here {@link #invoke(Method)}
 * stores the object under a fresh key and hands JShell the key as the "value", so the evaluator can
 * take the object back ({@link #takeResult(String)}) and render it.
 *
 * <p>Snippets of a cell run on the threads of that cell ({@link CellThreads}); their classes are
 * rewritten on load ({@link SnippetInstrumenter}). {@link #stop()} stops every thread of the cell,
 * and the snippet fails once they are gone (or given up on), so the next cell starts on an idle CPU.
 */
final class InProcessExecutionControl extends DirectExecutionControl {
    private static final Object NULL = new Object();
    /** How long threads get to end after their interrupt before {@code Thread.stop}. */
    static final long STOP_GRACE_MS = 200;
    /** When stopping gives up on threads that survive {@code Thread.stop} (a library swallowing ThreadDeath). */
    static final long STOP_LIMIT_MS = 1_500;

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final Map<String, String> classCells = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile CellThreads cell;
    private volatile Running running;
    private volatile Throwable lastThrown;
    private volatile CellThreads.StopReport lastStop;
    private volatile ClassLoader snippetLoader;
    /** An interrupt that came while the cell compiled rather than ran: its next snippet does not start. */
    private volatile boolean stopBeforeNextSnippet;

    private record Running(CellThreads threads, CompletableFuture<Completion> result, AtomicBoolean stopRequested,
                           CompletableFuture<CellThreads.StopReport> stopped) {}

    /** Completes a result when the kernel stopped the snippet. */
    private static final class StopSignal extends RuntimeException {
        StopSignal() {
            super("stopped", null, false, false);
        }
    }

    /**
     * How a snippet ended: its value or what it threw. A holder rather than an exceptional future, whose
     * {@code get()} would rethrow a {@code CancellationException} (a cancelled parallel stream) as its own.
     */
    private record Completion(Object value, Throwable thrown) {}

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] rewritten = new ClassBytecodes[classes.length];
        CellThreads threads = currentCell();
        for (int i = 0; i < classes.length; i++) {
            rewritten[i] = new ClassBytecodes(classes[i].name(), SnippetInstrumenter.instrument(classes[i].bytecodes()));
            threads.classLoaded(classes[i].name());
            classCells.put(classes[i].name(), threads.label());
        }
        super.load(rewritten);
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        CellThreads threads = currentCell();
        Running run = new Running(threads, new CompletableFuture<>(), new AtomicBoolean(), new CompletableFuture<>());
        CompletableFuture<Completion> result = run.result();
        ClassLoader loader = doitMethod.getDeclaringClass().getClassLoader();
        snippetLoader = loader;
        running = run;
        if (stopBeforeNextSnippet && !run.stopRequested().get()) {
            running = null;
            lastStop = new CellThreads.StopReport(List.of(), false, 0);
            throw new StoppedException();
        }
        try {
            threads.execute(() -> {
                Thread.currentThread().setContextClassLoader(loader);
                try {
                    result.complete(new Completion(doitMethod.invoke(null), null));
                } catch (InvocationTargetException e) {
                    result.complete(new Completion(null, e.getCause() != null ? e.getCause() : e));
                } catch (Throwable e) {
                    result.complete(new Completion(null, e));
                }
            }, loader);
            Completion completion = awaitUninterruptibly(result);
            if (run.stopRequested().get()) {
                throw stopped(run);
            }
            Throwable thrown = completion.thrown();
            if (thrown != null) {
                lastThrown = thrown;
                throw new UserException(String.valueOf(thrown.getMessage()), thrown.getClass().getName(), thrown.getStackTrace());
            }
            String key = "headroom-result-" + keys.incrementAndGet();
            results.put(key, completion.value() == null ? NULL : completion.value());
            return key;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new StoppedException();
        } finally {
            running = null;
        }
    }

    private static Completion awaitUninterruptibly(CompletableFuture<Completion> result) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return new Completion(null, e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the stop to finish (its report says which threads survived), then reports the snippet stopped. */
    private StoppedException stopped(Running run) {
        try {
            lastStop = run.stopped().get(STOP_LIMIT_MS + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            lastStop = new CellThreads.StopReport(List.of(), false, STOP_LIMIT_MS);
        }
        return new StoppedException();
    }

    private CellThreads currentCell() {
        CellThreads threads = cell;
        if (threads == null) {
            threads = new CellThreads("startup");
            cell = threads;
        }
        return threads;
    }

    boolean hasResult(String key) {
        return results.containsKey(key);
    }

    /** The object a snippet produced, by the key JShell reported as its value; null for a null result. */
    Object takeResult(String key) {
        Object value = results.remove(key);
        if (value == null) {
            throw new IllegalStateException("no result stored under key '" + key + "'");
        }
        return value == NULL ? null : value;
    }

    /** The throwable the last failing snippet threw (the original object, not JShell's copy), then forgets it. */
    Throwable takeThrown() {
        Throwable thrown = lastThrown;
        lastThrown = null;
        return thrown;
    }

    /** Whether {@link #stop()} ended a snippet since the last {@link #beginCell}. */
    boolean wasStopped() {
        return lastStop != null;
    }

    /** How the last stop went (null when nothing was stopped since {@link #beginCell}). */
    CellThreads.StopReport lastStop() {
        return lastStop;
    }

    /** Starts a cell: its own threads; results and flags of the previous cell are forgotten. */
    void beginCell(String label) {
        results.clear();
        lastThrown = null;
        lastStop = null;
        stopBeforeNextSnippet = false;
        cell = new CellThreads(label);
    }

    /** Ends the cell begun last; returns the threads it leaves running. */
    List<Thread> endCell() {
        CellThreads threads = cell;
        return threads == null ? List.of() : threads.finish();
    }

    /** A class as cells see it (the class path, plus what %classpath and %maven added). */
    Class<?> loadClass(String name) throws ClassNotFoundException {
        ClassLoader loader = snippetLoader;
        return Class.forName(name, false, loader != null ? loader : ClassLoader.getSystemClassLoader());
    }

    /** The label of the cell whose code defined {@code className} (a snippet class), or null. */
    String cellOfClass(String className) {
        String name = className;
        while (true) {
            String label = classCells.get(name);
            if (label != null) {
                return label;
            }
            int nested = name.lastIndexOf('$');
            if (nested < 0 || !name.startsWith("REPL.") || nested <= "REPL.$JShell".length()) {
                return null;
            }
            name = name.substring(0, nested);
        }
    }

    /**
     * Sets to null the variables of cell {@code cellLabel} that hold an array, a collection or a map (the
     * usual way a cell fills the heap); returns their names.
     */
    List<String> clearBulkVariables(String cellLabel) {
        List<String> cleared = new java.util.ArrayList<>();
        for (Map.Entry<String, String> entry : classCells.entrySet()) {
            String className = entry.getKey();
            if (!entry.getValue().equals(cellLabel) || className.lastIndexOf('$') > "REPL.$JShell$".length()) {
                continue;
            }
            try {
                for (java.lang.reflect.Field field : findClass(className).getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (!java.lang.reflect.Modifier.isStatic(modifiers) || field.getType().isPrimitive() || field.isSynthetic()
                            || field.getName().startsWith("$")) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object value = field.get(null);
                    if (value != null && (value.getClass().isArray() || value instanceof java.util.Collection<?> || value instanceof Map<?, ?>)) {
                        field.set(null, null);
                        cleared.add(field.getName());
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // A class that cannot be inspected keeps its variables.
            }
        }
        java.util.Collections.sort(cleared);
        return cleared;
    }

    @Override
    public void stop() {
        Running current = running;
        if (current == null) {
            stopBeforeNextSnippet = true;
            return;
        }
        if (!current.stopRequested().compareAndSet(false, true)) {
            return;
        }
        Thread reaper = new Thread(() -> {
            CellThreads.StopReport report;
            try {
                report = current.threads().stop(STOP_GRACE_MS, STOP_LIMIT_MS);
            } catch (Throwable e) {
                report = new CellThreads.StopReport(List.of(), false, 0);
            }
            current.stopped().complete(report);
            current.result().complete(new Completion(null, new StopSignal()));
        }, "headroom-cell-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }
}

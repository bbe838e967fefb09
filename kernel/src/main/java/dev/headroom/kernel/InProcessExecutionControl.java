package dev.headroom.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in the kernel's own JVM and keeps the real result objects.
 *
 * <p>{@link DirectExecutionControl} turns every result into a string. Here {@link #invoke(Method)}
 * stores the object under a fresh key and hands JShell the key as the "value", so the evaluator can
 * take the object back ({@link #takeResult(String)}) and render it. Each snippet runs on its own
 * daemon thread: {@link #stop()} releases the waiting evaluator at once, interrupts the thread, and
 * if it keeps running stops it the way JShell's own local engine does.
 */
final class InProcessExecutionControl extends DirectExecutionControl {
    private static final Object NULL = new Object();
    private static final long STOP_GRACE_MS = 300;

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile Running running;
    private volatile Throwable lastThrown;
    private volatile boolean stopped;

    private record Running(Thread thread, CompletableFuture<Object> result) {}

    /** Marks a result completed by {@link #stop()} rather than by the snippet. */
    private static final class StopSignal extends RuntimeException {
        StopSignal() {
            super("stopped", null, false, false);
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(doitMethod.invoke(null));
            } catch (InvocationTargetException e) {
                result.completeExceptionally(e.getCause() != null ? e.getCause() : e);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "headroom-cell");
        thread.setDaemon(true);
        thread.setContextClassLoader(doitMethod.getDeclaringClass().getClassLoader());
        running = new Running(thread, result);
        thread.start();
        try {
            Object value = result.get();
            String key = "headroom-result-" + keys.incrementAndGet();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StopSignal || (stopped && cause instanceof ThreadDeath)) {
                throw new StoppedException();
            }
            lastThrown = cause;
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException();
        } finally {
            running = null;
        }
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

    /** Whether {@link #stop()} ended a snippet since the last {@link #beginCell()}. */
    boolean wasStopped() {
        return stopped;
    }

    /** Forgets results and flags of the previous cell (results nobody took would otherwise leak). */
    void beginCell() {
        results.clear();
        lastThrown = null;
        stopped = false;
    }

    @Override
    public void stop() {
        Running current = running;
        if (current == null) {
            return;
        }
        stopped = true;
        current.result().completeExceptionally(new StopSignal());
        Thread thread = current.thread();
        thread.interrupt();
        Thread reaper = new Thread(() -> forceStop(thread), "headroom-cell-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void forceStop(Thread thread) {
        try {
            thread.join(TimeUnit.MILLISECONDS.toMillis(STOP_GRACE_MS));
            if (thread.isAlive()) {
                thread.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UnsupportedOperationException e) {
            // Java 20+ cannot stop threads: the evaluator is already released; the thread is a daemon.
        }
    }
}

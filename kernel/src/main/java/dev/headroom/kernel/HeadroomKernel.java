package dev.headroom.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.ShutdownReply;
import io.github.spencerpark.jupyter.messages.request.ShutdownRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Headroom Jupyter kernel: basekernel's protocol handling, JShell evaluation in this JVM
 * ({@link JShellEvaluator}) and the renderers of {@link ResultDisplay}.
 *
 * <p>JShell starts (and runs the startup script) on a background thread while the kernel connects,
 * so kernel_info is answered at once and the first cell waits only for what is left of the warm-up.
 *
 * <p>Shutdown does not go through basekernel's own handler: that one closes every ZeroMQ socket
 * from the control thread while other threads still poll theirs, which now and then kills
 * jeromq's I/O thread and leaves the kernel hanging in context termination. Here the shutdown
 * request is answered and {@link #awaitShutdownRequest()} returns; the caller exits the JVM.
 */
final class HeadroomKernel extends BaseKernel {
    private final CompletableFuture<JShellEvaluator> evaluator;
    private final ResultDisplay display;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "headroom-stream-flusher");
        thread.setDaemon(true);
        return thread;
    });
    private final PrintStream cellOut;
    private final PrintStream cellErr;
    private volatile CellFailure lastFailure;
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);

    /**
     * @param evaluator  completes when JShell is ready (startup script done)
     * @param plotly     how figures load plotly.js
     * @param cellOut    where cell stdout goes; null for the Jupyter stream
     * @param cellErr    where cell stderr goes; null for the Jupyter stream
     */
    HeadroomKernel(CompletableFuture<JShellEvaluator> evaluator, PlotlyEmbedding plotly, PrintStream cellOut, PrintStream cellErr) {
        this.evaluator = evaluator;
        this.display = new ResultDisplay(getRenderer(), plotly);
        this.cellOut = cellOut;
        this.cellErr = cellErr;
    }

    /** Starts JShell in the background and runs each startup script, reporting failures on {@code startupErr}. */
    static CompletableFuture<JShellEvaluator> startEvaluator(List<String> classpath, List<StartupScript> startup, PrintStream startupErr) {
        CompletableFuture<JShellEvaluator> ready = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                JShellEvaluator evaluator = JShellEvaluator.create(classpath);
                for (StartupScript script : startup) {
                    evaluator.runStartup(script.source(), script.name(), startupErr);
                }
                ready.complete(evaluator);
            } catch (Throwable e) {
                startupErr.println("headroom kernel: JShell did not start: " + e);
                ready.completeExceptionally(e);
            }
        }, "headroom-jshell-start");
        thread.setDaemon(true);
        thread.start();
        return ready;
    }

    private JShellEvaluator evaluator() throws Exception {
        try {
            return evaluator.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell did not start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        JShellEvaluator shell = evaluator();
        String label = "In [" + (executionCount.get() - 1) + "]";
        CellOutcome outcome;
        try (CellStreams streams = CellStreams.open(
                cellOut != null ? cellOut : getIO().out, cellErr != null ? cellErr : getIO().err, flusher)) {
            outcome = shell.eval(code, label);
        }
        if (outcome instanceof CellOutcome.Failed failed) {
            lastFailure = failed.failure();
            throw KernelErrors.toException(failed.failure());
        }
        if (outcome instanceof CellOutcome.Value value && value.value() != null) {
            return render(value.value());
        }
        return null;
    }

    private DisplayData render(Object value) throws Exception {
        try {
            return display.render(value);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new KernelErrors.RenderError(CellFailure.of("RenderError",
                    "could not display the " + value.getClass().getSimpleName() + ": " + message,
                    List.of("RenderError: " + message)));
        }
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof KernelErrors.CellError error) {
            return error.failure().traceback();
        }
        CellFailure failure = lastFailure;
        if (failure != null && failure.thrown() == e) {
            return failure.traceback();
        }
        return new ArrayList<>(new StackTraces(new SnippetOrigins()).format(e));
    }

    @Override
    public ReplacementOptions complete(String code, int at) throws Exception {
        JShellEvaluator.Completion completion = evaluator().complete(code, at);
        return new ReplacementOptions(completion.matches(), completion.start(), completion.end());
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) throws Exception {
        return evaluator().documentation(code, at, extraDetail).map(DisplayData::new).orElse(null);
    }

    @Override
    public String isComplete(String code) {
        if (!evaluator.isDone() || evaluator.isCompletedExceptionally()) {
            return IS_COMPLETE_MAYBE;
        }
        return evaluator.join().isComplete(code);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", null);
    }

    @Override
    public String getBanner() {
        return "Headroom — Java " + Runtime.version().feature() + " (JShell), Tablesaw and the Headroom DSL";
    }

    @Override
    public void interrupt() {
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().interrupt();
        }
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, this::handleShutdownRequest);
    }

    private void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        env.setBusyDeferIdle();
        env.reply(message.getContent().isRestart() ? ShutdownReply.SHUTDOWN_AND_RESTART : ShutdownReply.SHUTDOWN);
        onShutdown(message.getContent().isRestart());
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        flusher.shutdownNow();
        shutdownRequested.countDown();
    }

    /** Blocks until a client sent shutdown_request (already answered when this returns). */
    void awaitShutdownRequest() throws InterruptedException {
        shutdownRequested.await();
    }

    void close() {
        flusher.shutdownNow();
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().close();
        }
    }
}

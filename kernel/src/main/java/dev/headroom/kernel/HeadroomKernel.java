package dev.headroom.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterInputStream;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.publish.PublishError;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteInput;
import io.github.spencerpark.jupyter.messages.publish.PublishExecuteResult;
import io.github.spencerpark.jupyter.messages.reply.ErrorReply;
import io.github.spencerpark.jupyter.messages.reply.ExecuteReply;
import io.github.spencerpark.jupyter.messages.reply.ShutdownReply;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.ShutdownRequest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The Headroom Jupyter kernel: basekernel's protocol handling, JShell evaluation in this JVM
 * ({@link JShellEvaluator}), the renderers of {@link ResultDisplay}, magics ({@link Magics}),
 * {@code display}/{@code updateDisplay} ({@link Display}) and output routing ({@link OutputRouter}).
 *
 * <p>JShell starts (and runs the startup script) on a background thread while the kernel connects,
 * so kernel_info is answered at once and the first cell waits only for what is left of the warm-up.
 *
 * <p>execute_request is handled here rather than by basekernel, which swaps {@code System.out} per
 * request (losing the output of threads that outlive a cell), styles tracebacks with ANSI bold black
 * (unreadable on dark themes) and ignores {@code silent}.
 *
 * <p>Shutdown does not go through basekernel's own handler: that one closes every ZeroMQ socket
 * from the control thread while other threads still poll theirs, which now and then kills
 * jeromq's I/O thread and leaves the kernel hanging in context termination. Here the shutdown
 * request is answered and {@link #awaitShutdownRequest()} returns; the caller exits the JVM.
 */
final class HeadroomKernel extends BaseKernel implements Display.Target {
    /** Run before the user's startup scripts: what every cell can call. */
    static final StartupScript KERNEL_STARTUP = new StartupScript("headroom-kernel",
            "import static dev.headroom.kernel.Display.display;\nimport static dev.headroom.kernel.Display.updateDisplay;\n");
    private static final int REMEMBERED_DISPLAYS = 10_000;

    private final CompletableFuture<JShellEvaluator> evaluator;
    private final ResultDisplay display;
    private final PlotlyEmbedding plotly;
    private final OutputRouter router;
    private final CellSink defaultSink;
    private final MavenResolver maven;
    private final JupyterInputStream stdin = new JupyterInputStream(JupyterSocket.UTF_8);
    private final Map<String, CellSink> displays = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CellSink> eldest) {
            return size() > REMEMBERED_DISPLAYS;
        }
    });
    private volatile CellSink currentSink;
    private volatile CellFailure lastFailure;
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);

    /**
     * @param evaluator completes when JShell is ready (startup script done)
     * @param plotly    how figures load plotly.js
     * @param cellOut   where cell stdout goes outside a Jupyter request ({@link #eval}); null to drop it
     * @param cellErr   where cell stderr goes outside a Jupyter request; null to drop it
     */
    HeadroomKernel(CompletableFuture<JShellEvaluator> evaluator, PlotlyEmbedding plotly, PrintStream cellOut, PrintStream cellErr) {
        this(evaluator, plotly, streamSink(cellOut, cellErr), MavenResolver.fromEnvironment(System.getenv()));
    }

    /**
     * @param defaultSink where output goes outside a Jupyter request ({@link #eval})
     * @param maven       how {@code %maven} downloads
     */
    HeadroomKernel(CompletableFuture<JShellEvaluator> evaluator, PlotlyEmbedding plotly, CellSink defaultSink, MavenResolver maven) {
        this.evaluator = evaluator;
        this.plotly = plotly;
        this.display = new ResultDisplay(getRenderer(), plotly);
        this.defaultSink = defaultSink;
        this.maven = maven;
        this.router = new OutputRouter(System.out, System.err, this::ownerOf);
        router.install();
        System.setIn(stdin);
        Display.attach(this);
    }

    /** Starts JShell in the background and runs the kernel's and then each startup script, reporting failures on {@code startupErr}. */
    static CompletableFuture<JShellEvaluator> startEvaluator(List<String> classpath, List<StartupScript> startup, PrintStream startupErr) {
        CompletableFuture<JShellEvaluator> ready = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                JShellEvaluator evaluator = JShellEvaluator.create(classpath);
                List<StartupScript> scripts = new ArrayList<>();
                scripts.add(KERNEL_STARTUP);
                scripts.addAll(startup);
                for (StartupScript script : scripts) {
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

    /** basekernel's entry point (and the tests'): runs a cell with this kernel's default output. */
    @Override
    public DisplayData eval(String code) throws Exception {
        int count = executionCount.getAndIncrement();
        return execute(code, "In [" + count + "]", defaultSink, code);
    }

    /**
     * Runs one cell.
     *
     * @param label   how tracebacks and attributed output name it, {@code In [3]}
     * @param sink    where its output goes
     * @param cellKey what identifies the notebook cell across runs (the frontend's cell id, else the code)
     * @return the value to show as execute_result, or null
     * @throws Exception a {@link KernelErrors.CellError} or the exception the cell threw, when it failed
     */
    synchronized DisplayData execute(String code, String label, CellSink sink, String cellKey) throws Exception {
        JShellEvaluator shell = evaluator();
        HeapAdvice.holdReserve();
        plotly.beginCell(cellKey);
        OutputRouter.Cell output = router.begin(label, sink);
        currentSink = sink;
        try {
            CellOutcome outcome;
            shell.beginCell(label);
            try {
                outcome = runParts(shell, code, output);
            } finally {
                shell.endCell();
            }
            if (outcome instanceof CellOutcome.Failed failed) {
                lastFailure = failed.failure();
                throw KernelErrors.toException(failed.failure());
            }
            noteLeftovers(shell.leftovers(), label, output);
            if (outcome instanceof CellOutcome.Value value && value.value() != null) {
                return render(value.value());
            }
            return null;
        } finally {
            currentSink = null;
            router.end(output);
        }
    }

    private CellOutcome runParts(JShellEvaluator shell, String code, OutputRouter.Cell output) {
        List<Magics.Part> parts;
        try {
            parts = Magics.parse(code);
        } catch (Magics.UnknownMagic e) {
            return usageError(e.getMessage());
        }
        CellOutcome last = new CellOutcome.NoValue();
        for (Magics.Part part : parts) {
            last = part instanceof Magics.Code c ? shell.evalPart(c.text()) : runMagic((Magics.Magic) part, shell, output);
            if (last instanceof CellOutcome.Failed) {
                return last;
            }
        }
        return last;
    }

    private CellOutcome runMagic(Magics.Magic magic, JShellEvaluator shell, OutputRouter.Cell output) {
        switch (magic.name()) {
            case "time": {
                if (magic.code().text().isBlank()) {
                    return usageError("%time needs code to time: %time sweep.table()  (or %%time on the first line for the whole cell)");
                }
                long start = System.nanoTime();
                CellOutcome outcome = shell.evalPart(magic.code().text());
                double seconds = (System.nanoTime() - start) / 1e9;
                output.print(false, "Wall time: " + wallTime(seconds) + "\n");
                return outcome;
            }
            case "help":
                output.print(false, helpText(shell));
                return new CellOutcome.NoValue();
            case "classpath":
                return addToClasspath(magic.argument(), shell, output);
            case "maven":
                return addFromMaven(magic.argument(), shell, output);
            case "trace": {
                CellFailure failure = lastFailure;
                output.print(false, failure == null ? "No cell has failed in this session.\n" : String.join("\n", failure.fullTrace()) + "\n");
                return new CellOutcome.NoValue();
            }
            default:
                return usageError("unknown magic %" + magic.name());
        }
    }

    static String wallTime(double seconds) {
        if (seconds < 1e-3) {
            return String.format(Locale.ROOT, "%.0f µs", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    private static CellOutcome usageError(String message) {
        return new CellOutcome.Failed(CellFailure.of("UsageError", message, List.of("UsageError: " + message)));
    }

    private static CellOutcome addToClasspath(String argument, JShellEvaluator shell, OutputRouter.Cell output) {
        if (argument.isBlank()) {
            return usageError("%classpath needs a jar, a folder of classes, or FOLDER/* for every jar in a folder");
        }
        List<Path> entries = new ArrayList<>();
        String path = argument.strip();
        if (path.endsWith("/*") || path.endsWith("\\*")) {
            Path folder = Path.of(path.substring(0, path.length() - 2)).toAbsolutePath().normalize();
            if (!Files.isDirectory(folder)) {
                return usageError("%classpath: no such folder: " + folder);
            }
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(entries::add);
            } catch (java.io.IOException e) {
                return usageError("%classpath: cannot list " + folder + ": " + e.getMessage());
            }
            if (entries.isEmpty()) {
                return usageError("%classpath: no .jar files in " + folder);
            }
        } else {
            Path entry = Path.of(path).toAbsolutePath().normalize();
            if (!Files.exists(entry)) {
                return usageError("%classpath: no such file or folder: " + entry);
            }
            entries.add(entry);
        }
        entries.forEach(entry -> shell.addToClasspath(entry.toString()));
        output.print(false, "Added to the class path: " + String.join(", ", entries.stream().map(Path::toString).toList()) + "\n");
        return new CellOutcome.NoValue();
    }

    private CellOutcome addFromMaven(String argument, JShellEvaluator shell, OutputRouter.Cell output) {
        MavenResolver.Resolution resolution;
        MavenResolver.Coordinates coordinates;
        try {
            coordinates = MavenResolver.Coordinates.parse(argument);
            resolution = maven.resolve(coordinates);
        } catch (MavenResolver.MavenException e) {
            return new CellOutcome.Failed(CellFailure.of("MavenError", e.getMessage(), List.of("MavenError: " + e.getMessage())));
        }
        resolution.jars().forEach(jar -> shell.addToClasspath(jar.toString()));
        StringBuilder text = new StringBuilder("Added " + coordinates + " and " + (resolution.jars().size() - 1)
                + " dependencies to the class path (from " + maven.repository() + ", kept in the local Maven repository):\n");
        resolution.jars().forEach(jar -> text.append("  ").append(jar.getFileName()).append('\n'));
        if (!resolution.skipped().isEmpty()) {
            text.append("Left out (no usable version in the POMs): ").append(String.join(", ", resolution.skipped())).append('\n');
        }
        output.print(false, text.toString());
        return new CellOutcome.NoValue();
    }

    private static String helpText(JShellEvaluator shell) {
        StringBuilder help = new StringBuilder();
        help.append("Headroom kernel: cells are Java (JShell, Java ").append(Runtime.version().feature())
                .append("). The value of a cell's last expression is shown: a Tablesaw Table as a table, a jsplot Figure as a chart.\n\n");
        help.append("Entry points (statically imported, call them without a class name):\n");
        for (String owner : shell.staticImportOwners()) {
            List<String> methods = shell.publicStaticMethods(owner);
            if (!methods.isEmpty()) {
                help.append("  ").append(owner.substring(owner.lastIndexOf('.') + 1)).append(": ")
                        .append(String.join(", ", methods)).append('\n');
            }
        }
        help.append("  display(Object) -> id, updateDisplay(String id, Object): show a value now, replace it later\n");
        List<String> packages = shell.importedPackages();
        if (!packages.isEmpty()) {
            help.append("Imported packages: ").append(String.join(", ", packages)).append('\n');
        }
        help.append("\nMagics (a line that starts with %):\n")
                .append("  %time CODE        runs CODE and prints its wall time; %%time as the first line times the whole cell\n")
                .append("  %help             this list\n")
                .append("  %classpath PATH   adds a jar, a folder of classes, or FOLDER/* (every jar in it) to the class path\n")
                .append("  %maven G:A:V      downloads an artifact and its compile dependencies from Maven Central into ~/.m2\n")
                .append("                    and adds them (needs network access)\n")
                .append("  %trace            the full stack trace of the last failure\n")
                .append("\nKernel > Interrupt stops the running cell and every thread it started. Tab completes; Shift-Tab shows documentation.\n");
        return help.toString();
    }

    private void noteLeftovers(List<Thread> leftovers, String label, OutputRouter.Cell output) {
        if (leftovers.isEmpty()) {
            return;
        }
        List<String> names = leftovers.stream().map(Thread::getName).toList();
        output.print(true, "[this cell left " + names.size() + (names.size() == 1 ? " thread" : " threads") + " running: "
                + String.join(", ", names) + "; what " + (names.size() == 1 ? "it prints" : "they print") + " later shows as ["
                + label + " · " + names.get(0) + "] ...]\n");
    }

    /** The cell a thread works for: its thread group's, or the cell whose code is on the calling thread's stack. */
    private String ownerOf(Thread thread) {
        CellThreads cell = CellThreads.of(thread);
        if (cell != null) {
            return cell.label();
        }
        JShellEvaluator shell = evaluator.getNow(null);
        if (shell == null || thread != Thread.currentThread()) {
            return null;
        }
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.startsWith("REPL."))
                .map(shell::cellOfClass)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null));
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

    // ---- display(...) and updateDisplay(...) from cells ----

    @Override
    public void display(Object value, String displayId) {
        CellSink sink = currentSink;
        if (sink == null) {
            System.err.println("display(...) was dropped: no cell is running to show it");
            return;
        }
        DisplayData data = display.render(value);
        data.setDisplayId(displayId);
        OutputRouter.Cell output = router.current();
        if (output != null) {
            output.flush();
        }
        displays.put(displayId, sink);
        sink.display(data);
    }

    @Override
    public void update(Object value, String displayId) {
        CellSink sink = currentSink != null ? currentSink : displays.get(displayId);
        if (sink == null) {
            System.err.println("updateDisplay(\"" + displayId + "\", ...) was dropped: no output has that id");
            return;
        }
        DisplayData data = display.render(value);
        data.setDisplayId(displayId);
        OutputRouter.Cell output = router.current();
        if (output != null) {
            output.flush();
        }
        sink.updateDisplay(data);
    }

    // ---- Jupyter protocol ----

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

    /** The failure behind an exception {@link #execute} threw, as the error message shows it. */
    private CellFailure failureOf(Exception e) {
        if (e instanceof KernelErrors.CellError error) {
            return error.failure();
        }
        CellFailure failure = lastFailure;
        if (failure != null && failure.thrown() == e) {
            return failure;
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return CellFailure.of(e.getClass().getSimpleName(), message, new StackTraces(new SnippetOrigins()).format(e));
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
        if (Magics.hasMagic(code)) {
            return IS_COMPLETE_YES;
        }
        return evaluator.join().isComplete(code);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", null);
    }

    @Override
    public String getBanner() {
        return "Headroom — Java " + Runtime.version().feature() + " (JShell), Tablesaw and the Headroom DSL. %help lists what cells can call.";
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
        connection.setHandler(MessageType.EXECUTE_REQUEST, this::handleExecuteRequest);
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, this::handleShutdownRequest);
    }

    private void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        int count = silent || !request.shouldStoreHistory() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        stdin.setEnv(env);
        stdin.setEnabled(request.isStdinEnabled());
        CellSink sink = silent ? new SilentSink() : new RequestSink(env);
        try {
            DisplayData result = execute(request.getCode(), "In [" + count + "]", sink, cellKey(message));
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, result));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Exception e) {
            CellFailure failure = failureOf(e);
            ErrorReply error = new ErrorReply(failure.ename(), failure.evalue(), failure.traceback());
            error.setExecutionCount(count);
            env.publish(new PublishError(failure.ename(), failure.evalue(), failure.traceback()));
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
        } finally {
            stdin.retractEnv(env);
        }
    }

    /** JupyterLab and nbclient send the cell's id in the request metadata; classic Notebook does not. */
    private static String cellKey(Message<ExecuteRequest> message) {
        Map<String, Object> metadata = message.getMetadata();
        if (metadata != null) {
            for (String key : List.of("cellId", "cell_id")) {
                Object id = metadata.get(key);
                if (id instanceof String text && !text.isBlank()) {
                    return "id:" + text;
                }
            }
        }
        return "code:" + message.getContent().getCode();
    }

    private void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        env.setBusyDeferIdle();
        env.reply(message.getContent().isRestart() ? ShutdownReply.SHUTDOWN_AND_RESTART : ShutdownReply.SHUTDOWN);
        onShutdown(message.getContent().isRestart());
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        shutdownRequested.countDown();
    }

    /** Blocks until a client sent shutdown_request (already answered when this returns). */
    void awaitShutdownRequest() throws InterruptedException {
        shutdownRequested.await();
    }

    void close() {
        Display.detach(this);
        router.uninstall();
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().close();
        }
    }

    // ---- sinks outside a Jupyter request ----

    private static CellSink streamSink(PrintStream out, PrintStream err) {
        return new CellSink() {
            @Override
            public void stream(boolean stderr, String text) {
                PrintStream target = stderr ? err : out;
                if (target != null) {
                    target.print(text);
                    target.flush();
                }
            }

            @Override
            public void display(DisplayData data) {
                stream(false, String.valueOf(data.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN)) + "\n");
            }

            @Override
            public void updateDisplay(DisplayData data) {
                display(data);
            }
        };
    }

    /** A silent request (frontends' own probes): runs, shows nothing. */
    private static final class SilentSink implements CellSink {
        @Override
        public void stream(boolean stderr, String text) {
        }

        @Override
        public void display(DisplayData data) {
        }

        @Override
        public void updateDisplay(DisplayData data) {
        }
    }
}

package dev.headroom.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates cells with {@code jdk.jshell} in this JVM.
 *
 * <p>A cell is split into snippets and run in order; the first failure stops it. The value of the
 * last snippet, when that is an expression, is the cell's value (the real object, to be rendered).
 * Declarations that still depend on something undefined when the cell ends fail the cell: a
 * notebook should not silently carry a method that cannot run.
 */
final class JShellEvaluator implements AutoCloseable {
    private final JShell shell;
    private final InProcessExecutionControl control;
    private final SourceCodeAnalysis analysis;
    private final CellSplitter splitter;
    private final SnippetOrigins origins = new SnippetOrigins();
    private final StackTraces stackTraces;
    private volatile boolean interruptRequested;
    private volatile String currentLabel = "";
    private List<Thread> leftovers = List.of();

    /** What tab completion offers: replace {@code code[start, end)} with one of {@code matches}. */
    record Completion(List<String> matches, int start, int end) {}

    private JShellEvaluator(JShell shell, InProcessExecutionControl control) {
        this.shell = shell;
        this.control = control;
        this.analysis = shell.sourceCodeAnalysis();
        this.splitter = new CellSplitter(analysis);
        this.stackTraces = new StackTraces(origins, control::cellOfClass);
    }

    /** A JShell that compiles against {@code classpath} and runs snippets in this JVM. */
    static JShellEvaluator create(List<String> classpath) {
        InProcessExecutionControl control = new InProcessExecutionControl();
        JShell shell = JShell.builder()
                .executionEngine(new InProcessControlProvider(control), Map.of())
                .build();
        classpath.forEach(shell::addToClasspath);
        return new JShellEvaluator(shell, control);
    }

    /**
     * Runs a cell.
     *
     * @param cell      the source
     * @param cellLabel how other cells' tracebacks name this cell, e.g. {@code In [3]}
     */
    synchronized CellOutcome eval(String cell, String cellLabel) {
        beginCell(cellLabel);
        try {
            return evalPart(cell);
        } finally {
            endCell();
        }
    }

    /**
     * Starts a cell that runs in parts ({@link #evalPart}: code between magics): the parts share the
     * cell's threads and label. End it with {@link #endCell()}.
     */
    synchronized void beginCell(String cellLabel) {
        interruptRequested = false;
        currentLabel = cellLabel;
        control.beginCell(cellLabel);
        origins.beginCell(cellLabel);
    }

    /** Runs code of the cell begun last; line numbers count from the start of {@code code}. */
    synchronized CellOutcome evalPart(String code) {
        Run run = run(code, currentLabel, true);
        if (!run.failures().isEmpty()) {
            return new CellOutcome.Failed(afterFailure(run.failures().get(0)));
        }
        return run.last();
    }

    /** Ends the cell begun last; {@link #leftovers()} then names the threads it left running. */
    synchronized void endCell() {
        leftovers = control.endCell();
        currentLabel = "";
    }

    /** Threads started by the last cell that were still running when it ended. */
    synchronized List<Thread> leftovers() {
        return leftovers;
    }

    /** The label of the cell whose code defined a snippet class, or null (for output and frame attribution). */
    String cellOfClass(String className) {
        return control.cellOfClass(className);
    }

    /** A cell that ran out of heap: memory back where possible, and advice on how to get more. */
    private CellFailure afterFailure(CellFailure failure) {
        if (!(failure.thrown() instanceof OutOfMemoryError)) {
            return failure;
        }
        long used = HeapAdvice.releaseReserveAndCollect();
        List<String> cleared = List.of();
        if (used > Runtime.getRuntime().maxMemory() * 3 / 4) {
            cleared = control.clearBulkVariables(currentLabel);
            if (!cleared.isEmpty()) {
                used = HeapAdvice.releaseReserveAndCollect();
            }
        }
        List<String> traceback = new ArrayList<>();
        traceback.add(failure.traceback().get(0));
        traceback.addAll(HeapAdvice.advice(used, cleared));
        traceback.addAll(failure.traceback().subList(1, failure.traceback().size()));
        return new CellFailure(failure.ename(), failure.evalue(), traceback, failure.thrown(), failure.fullTrace());
    }

    /**
     * Runs a startup script snippet by snippet, going on after failures, and reports each failure
     * on {@code err}. Returns the failures.
     */
    synchronized List<CellFailure> runStartup(String script, String scriptName, PrintStream err) {
        beginCell(scriptName);
        List<CellFailure> failures = run(script, scriptName, false).failures();
        endCell();
        for (CellFailure failure : failures) {
            err.println("headroom kernel: a startup snippet in " + scriptName + " failed; the kernel goes on without it:");
            failure.traceback().forEach(line -> err.println("    " + line));
        }
        err.flush();
        return failures;
    }

    private record Run(CellOutcome last, List<CellFailure> failures) {}

    private Run run(String cell, String cellLabel, boolean stopAtFirstFailure) {
        CellText text = new CellText(cell);
        List<CellFailure> failures = new ArrayList<>();
        List<Snippet> declared = new ArrayList<>();
        CellOutcome last = new CellOutcome.NoValue();
        for (CellSplitter.Piece piece : splitter.split(cell)) {
            if (interruptRequested) {
                failures.add(interrupted(control.lastStop()));
                return new Run(last, failures);
            }
            if (!piece.complete()) {
                failures.add(incomplete(piece, text));
                return new Run(last, failures);
            }
            Optional<CellFailure> failure = Optional.empty();
            last = new CellOutcome.NoValue();
            for (SnippetEvent event : shell.eval(piece.source())) {
                if (event.causeSnippet() != null) {
                    continue;
                }
                Snippet snippet = event.snippet();
                origins.record(snippet.id(), cellLabel, text.lineOf(piece.start()));
                Optional<CellFailure> problem = problemOf(event, cell, piece);
                if (problem.isPresent()) {
                    failure = failure.or(() -> problem);
                    continue;
                }
                if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                        || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                    declared.add(snippet);
                }
                last = valueOf(event);
            }
            if (control.wasStopped()) {
                failure = Optional.of(interrupted(control.lastStop()));
            }
            if (failure.isPresent()) {
                failures.add(failure.get());
                if (stopAtFirstFailure) {
                    return new Run(last, failures);
                }
                last = new CellOutcome.NoValue();
            }
        }
        unresolvedAtEnd(declared).ifPresent(failures::add);
        return new Run(last, failures);
    }

    private Optional<CellFailure> problemOf(SnippetEvent event, String cell, CellSplitter.Piece piece) {
        if (event.status() == Snippet.Status.REJECTED) {
            return Optional.of(CompileErrors.failure(shell.diagnostics(event.snippet()).toList(), cell, piece.start()));
        }
        JShellException exception = event.exception();
        if (exception instanceof UnresolvedReferenceException unresolved) {
            return Optional.of(unresolved(List.of(unresolved.getSnippet())));
        }
        if (exception instanceof EvalException evalException) {
            Throwable thrown = control.takeThrown();
            String runningAt = origins.describe(event.snippet().id(), 1);
            return Optional.of(thrown != null ? thrownBy(thrown, evalException.getStackTrace(), runningAt) : fromEvalException(evalException));
        }
        if (exception != null) {
            return Optional.of(CellFailure.of(exception.getClass().getSimpleName(), String.valueOf(exception.getMessage()),
                    List.of(StackTraces.headline(exception))));
        }
        return Optional.empty();
    }

    private CellOutcome valueOf(SnippetEvent event) {
        String key = event.value();
        boolean expression = switch (event.snippet().subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
        // Statements report "" rather than the key; declarations' results are dropped with the cell.
        if (!expression || key == null || event.status() != Snippet.Status.VALID || !control.hasResult(key)) {
            return new CellOutcome.NoValue();
        }
        return new CellOutcome.Value(control.takeResult(key));
    }

    private CellFailure thrownBy(Throwable thrown, StackTraceElement[] translatedTop, String runningAt) {
        Optional<Throwable> mistake = StackTraces.userMistake(thrown);
        Throwable named = mistake.orElse(thrown);
        String message = named.getMessage();
        String ename = named instanceof CellGuard.ExitRefusedException ? "ExitRefused" : named.getClass().getSimpleName();
        return new CellFailure(ename, message == null ? "" : message,
                stackTraces.format(thrown, translatedTop, runningAt), thrown, stackTraces.full(thrown, translatedTop));
    }

    private static CellFailure fromEvalException(EvalException exception) {
        String headline = exception.getExceptionClassName() + (exception.getMessage() == null ? "" : ": " + exception.getMessage());
        String name = exception.getExceptionClassName();
        return CellFailure.of(name.substring(name.lastIndexOf('.') + 1), String.valueOf(exception.getMessage()), List.of(headline));
    }

    private static CellFailure interrupted(CellThreads.StopReport stop) {
        String message = "the cell was interrupted";
        if (stop != null && !stop.survivors().isEmpty()) {
            int n = stop.survivors().size();
            message += "; " + n + (n == 1 ? " thread it started did" : " threads it started did") + " not stop and still run"
                    + (stop.stopUnsupported() ? " (this Java version cannot force threads to stop)" : "")
                    + ": " + String.join(", ", stop.survivors());
        }
        return CellFailure.of("Interrupted", message, List.of("Interrupted: " + message));
    }

    private static CellFailure incomplete(CellSplitter.Piece piece, CellText text) {
        String firstLine = piece.source().strip().lines().findFirst().orElse("");
        String message = "the cell ends in the middle of a statement starting at line "
                + text.firstCodeLine(piece.start()) + ": " + firstLine;
        return CellFailure.of("IncompleteInput", message, List.of("IncompleteInput: " + message));
    }

    private Optional<CellFailure> unresolvedAtEnd(List<Snippet> declared) {
        List<Snippet> stillUnresolved = declared.stream()
                .filter(s -> shell.status(s) == Snippet.Status.RECOVERABLE_DEFINED
                        || shell.status(s) == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                .toList();
        return stillUnresolved.isEmpty() ? Optional.empty() : Optional.of(unresolved(stillUnresolved));
    }

    private CellFailure unresolved(List<? extends Snippet> snippets) {
        List<String> parts = new ArrayList<>();
        for (Snippet snippet : snippets) {
            List<String> missing = snippet instanceof DeclarationSnippet declaration
                    ? shell.unresolvedDependencies(declaration).toList()
                    : List.of();
            parts.add(describe(snippet) + (missing.isEmpty()
                    ? " cannot be used yet"
                    : " needs " + String.join(", ", missing) + ", which is not defined"));
        }
        String message = String.join("; ", parts);
        return CellFailure.of("UnresolvedReference", message, List.of("UnresolvedReference: " + message));
    }

    private static String describe(Snippet snippet) {
        if (snippet instanceof DeclarationSnippet declaration) {
            String kind = switch (snippet.kind()) {
                case METHOD -> "method";
                case TYPE_DECL -> "type";
                case VAR -> "variable";
                default -> "declaration";
            };
            return kind + " " + declaration.name();
        }
        return "snippet #" + snippet.id();
    }

    /** Adds a jar or a folder of classes to what cells compile against and load from. */
    synchronized void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Classes whose members are imported with {@code import static C.*} (the DSL's entry classes). */
    List<String> staticImportOwners() {
        return shell.imports().filter(ImportSnippet::isStatic).map(ImportSnippet::fullname)
                .filter(name -> name.endsWith(".*")).map(name -> name.substring(0, name.length() - 2)).distinct().toList();
    }

    /** Packages imported with {@code import p.*}. */
    List<String> importedPackages() {
        return shell.imports().filter(i -> !i.isStatic()).map(ImportSnippet::fullname)
                .filter(name -> name.endsWith(".*")).distinct().toList();
    }

    /** "name(Type, Type)" of the public static methods {@code className} declares, by name. */
    List<String> publicStaticMethods(String className) {
        Class<?> type;
        try {
            type = control.loadClass(className);
        } catch (ClassNotFoundException | LinkageError e) {
            return List.of();
        }
        return java.util.Arrays.stream(type.getDeclaredMethods())
                .filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()) && java.lang.reflect.Modifier.isStatic(m.getModifiers())
                        && !m.isSynthetic())
                .map(m -> m.getName() + java.util.Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")")))
                .sorted().distinct().toList();
    }

    /** Completion for the snippet under the cursor. */
    Completion complete(String code, int cursor) {
        int start = splitter.startOfPieceAt(code, cursor);
        String piece = code.substring(start);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(piece, cursor - start, anchor);
        Set<String> matches = suggestions.stream()
                .sorted(Comparator.comparing((SourceCodeAnalysis.Suggestion s) -> !s.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new Completion(List.copyOf(matches), start + anchor[0], cursor);
    }

    /** Signatures (and javadoc, when the JDK has it) of what is under the cursor; empty if nothing. */
    Optional<String> documentation(String code, int cursor, boolean detailed) {
        int start = splitter.startOfPieceAt(code, cursor);
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code.substring(start), cursor - start, detailed);
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(docs.stream()
                .map(d -> d.javadoc() == null || d.javadoc().isBlank() ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.joining("\n\n")));
    }

    /** Jupyter's is_complete answer: "complete", "invalid", "unknown", or an indent for a continuation line. */
    String isComplete(String code) {
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return "complete";
                case UNKNOWN:
                    return "invalid";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                default:
                    if (info.remaining().isBlank() || info.remaining().length() >= rest.length()) {
                        return "complete";
                    }
                    rest = info.remaining();
            }
        }
    }

    /** Asks running cell code to stop (from another thread); the cell then fails with Interrupted. */
    void interrupt() {
        interruptRequested = true;
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }
}
